"""The installed distribution's version, for report signatures (without importing ``mistok``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["package_version"]


def package_version() -> str:
    """The version of the installed ``mistok`` distribution; ``"unknown"`` from a bare tree."""
    try:
        return version("mistok")
    except PackageNotFoundError:
        return "unknown"
