"""CTranslate2's threads on a CPU: one replica, every core this process may use on its batch."""

from __future__ import annotations

import os

from models.ct2_engine import cpu_threads


def test_by_default_every_available_core_goes_to_the_one_batch():
    assert cpu_threads(None) == (1, len(os.sched_getaffinity(0)))


def test_a_given_thread_count_is_kept():
    assert cpu_threads(1) == (1, 1)
    assert cpu_threads(3) == (1, 3)
