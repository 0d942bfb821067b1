"""Hand the memory a finished step let go back to the operating system.

CPython frees an object's memory into its own pools and into the C allocator's heap, which
keeps it for later use instead of returning it: after a step that made many short-lived
objects (an archive's partitions, a stage's records) the driver would go on holding that
step's high-water mark. Between steps the driver asks glibc's allocator to return its free
pages (``malloc_trim``, as Dask's workers do), so that each step starts from what the run
still holds. Elsewhere (macOS, musl) nothing happens. No full garbage collection is forced:
in a process with a large heap (a notebook with a model loaded, the test suite) one costs
far more than it frees.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc)."""
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
