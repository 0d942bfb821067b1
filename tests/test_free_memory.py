"""The driver's allocator settings (issue 16: flat driver memory)."""

from __future__ import annotations

import ctypes
import sys

import pytest

from mistok.pipeline.free_memory import _glibc_function, keep_large_blocks_apart

glibc = sys.platform.startswith("linux") and _glibc_function("mallinfo2") is not None


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
        .split()
    ]


@pytest.mark.skipif(not glibc, reason="glibc's allocator only")
def test_a_large_block_gets_a_mapping_of_its_own_after_large_ones_were_freed() -> None:
    mallinfo2 = _glibc_function("mallinfo2")
    assert mallinfo2 is not None
    mallinfo2.restype = _MallInfo2
    freed = bytearray(8 << 20)
    del freed  # glibc would now serve blocks up to 8 MB from its heaps
    keep_large_blocks_apart()
    before = mallinfo2().hblkhd
    block = bytearray(1 << 20)
    assert mallinfo2().hblkhd >= before + (1 << 20)  # mapped apart: freed, it is returned
    del block
