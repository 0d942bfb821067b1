"""Hand the memory a finished step let go back to the operating system.

CPython frees an object's memory into its own pools and into the C allocator's heap, which
keeps it for later use instead of returning it: after a step that made many short-lived
objects (an archive's partitions, a stage's records) the driver would go on holding that
step's high-water mark. Between steps the driver asks glibc's allocator to return its free
pages (``malloc_trim``, as Dask's workers do), so that each step starts from what the run
still holds. Elsewhere (macOS, musl) nothing happens. No full garbage collection is forced
between steps: in a process with a large heap (a notebook with a model loaded, the test
suite) one costs far more than it frees. The one exception is :func:`empty_free_lists`,
which the read and pair steps of a large archive call once each, where it gives back
megabytes.

glibc also raises its threshold for serving a large block from its own mapping (instead of
its heaps) to the size of each such block freed, up to 32 MB, and with it the free space a
thread's heap keeps without trimming (twice that). A run frees many blocks of megabytes
(partitions and pickles sent to the workers), so after its first steps every such block came
from a heap and stayed there. :func:`keep_large_blocks_apart` fixes the threshold at glibc's
default (128 KiB), as ``MALLOC_MMAP_THRESHOLD_=131072`` would: a large block is returned
whole when freed. It holds for the rest of the process (glibc has no way to read the setting
back). At 50,000 articles per side it took the driver's peak from 296–300 to 269–278 MB
(BENCHMARKS.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Callable

#: ``mallopt``'s parameter number for the threshold (glibc's ``M_MMAP_THRESHOLD``).
M_MMAP_THRESHOLD = -3
#: glibc's default threshold, which it would raise as large blocks are freed.
MMAP_THRESHOLD = 128 * 1024


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc)."""
    trim = _glibc_function("malloc_trim")
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim(0)


def empty_free_lists() -> None:
    """Empty CPython's free lists, with the one call that does: a full garbage collection.

    CPython keeps up to 2,000 freed tuples of each small size (and some lists, dicts and
    floats) for reuse. After many objects of a kind were made and freed at once (an
    archive's stand-ins, tuples), those kept are spread over the memory the others left, and
    each 1 MiB arena that holds one stays allocated for the rest of the process: at 50,000
    articles per side the pairing's plan left five to six arenas so, about 5 MB (measured
    with ``sys._debugmallocstats``). Called once, after such a step, not between every step
    (see the module's note on full collections)."""
    gc.collect()


def keep_large_blocks_apart() -> None:
    """Have glibc serve every block of 128 KiB or more from a mapping of its own, returned
    to the system when the block is freed, for the rest of the process."""
    mallopt = _glibc_function("mallopt")
    if mallopt is not None:
        mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def _glibc_function(name: str) -> Callable[..., int] | None:
    """The C library's function ``name`` (None: not on Linux, or not glibc: musl has no
    malloc_trim)."""
    if not sys.platform.startswith("linux"):
        return None
    library = ctypes.util.find_library("c")
    if library is None:
        return None
    try:
        return getattr(ctypes.CDLL(library), name)
    except (OSError, AttributeError):
        return None
