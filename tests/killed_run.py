"""``mistok ARGS`` that SIGKILLs itself after STAGE has N fresh results: the test hook of the
killed-run tests, installed in this process only (the product has a no-op hook).

    python tests/killed_run.py STAGE N run ARCHIVE -o OUT [options]
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve()


def kill_after(stage: str, count: int) -> Callable[[str, int], None]:
    """A hook for :data:`mistok.pipeline.steps.after_stage_result` that kills the process."""

    def hook(name: str, done: int) -> None:
        if name == stage and done >= count:
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def command(stage: str, count: int, *args: str) -> list[str]:
    """The command line that runs ``mistok *args`` killed after ``count`` results of ``stage``."""
    return [sys.executable, str(HERE), stage, str(count), *args]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))  # this checkout's mistok, as `python -m` finds it
    from mistok.cli import main
    from mistok.pipeline import steps

    stage, count, *arguments = sys.argv[1:]
    steps.after_stage_result = kill_after(stage, int(count))
    main(arguments, prog_name="mistok")
