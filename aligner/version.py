"""The installed distribution's version, for report signatures (without importing ``mistok``)."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

__all__ = ["package_version"]


@functools.cache
def package_version() -> str:
    """The version of the installed ``mistok`` distribution; ``"unknown"`` from a bare tree.

    Read once per process: the installed metadata does not change under a running program,
    and reading it costs ~3 ms (a scan of site-packages), paid by every pair's report."""
    try:
        return version("mistok")
    except PackageNotFoundError:
        return "unknown"
