"""The JSON report: the master format (schema: ``eval/schema/report.schema.json``)."""

from __future__ import annotations

import json

from eval.report import Report

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    """The report as one JSON document (UTF-8 text, not ASCII-escaped), ending in a newline."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
