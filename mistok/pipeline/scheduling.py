"""Where the stages of ``mistok run`` execute: the one thing in which its engines differ.

The driver (:func:`mistok.pipeline.driver.run_pipeline`) decides *what* is computed: it reads the
inputs, looks every stage's work up in the result cache, hands the rest to a scheduler, caches
each result as it comes back, and writes the outputs in a fixed order. A scheduler decides
only *where* a stage function runs: :class:`InProcessScheduler` runs it here, one item after
the other; :class:`mistok.pipeline.ray_engine.RayScheduler` maps it over a Ray cluster. Both get the
same stage functions of :mod:`mistok.pipeline.stages` and :mod:`aligner.pairing_partitions` and the
same items, so both engines compute the same results, and since the driver orders the results
itself, write the same files.

A scheduler yields ``(index, result)`` pairs in whatever order the results finish.

The local engine uses :class:`ProcessPoolScheduler` on a machine with several cores: the CPU
stages (pair, align, bitext, check) go to a pool of worker processes, a chunk of items per task,
while the driver caches results and writes pages as they come back; translation stays in the
driver's process (the model is loaded once, and uses the cores through its own threads).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from aligner.errors import MistokError
from mistok.pipeline.drafting import ChunkResult, TranslatorSource, draft_chunk
from mistok.run_records import TranslationRequest

T = TypeVar("T")
R = TypeVar("R")


class StageScheduler(Protocol):
    """Runs the stage functions for the driver of ``mistok run``."""

    #: ``local`` or ``ray``: recorded in the run's summary, never in its outputs.
    name: str
    #: Whether the stage functions run on this machine, where they can read and write the
    #: output folder's files (a stage may then take or leave its data there instead of
    #: sending it through the driver).
    shares_files: bool

    def map(
        self, stage: str, function: Callable[[T], R], items: Sequence[T]
    ) -> Iterator[tuple[int, R]]:
        """``function(item)`` for every item: ``(index, result)`` as each finishes.

        ``function`` is a module-level function (or a :func:`functools.partial` of one) and
        the items are picklable records, so that a cluster can ship both."""
        ...

    def start(self, stage: str, function: Callable[[T], R], item: T) -> Callable[[], R]:
        """Start ``function(item)`` and go on: the callable returned gives its result
        (waiting for it, raising what it raised). Where no worker is free to take it (one
        process; a cluster whose workers may not see the driver's files), it runs here, now."""
        ...

    def translate(
        self,
        chunks: Sequence[Sequence[TranslationRequest]],
        source: TranslatorSource,
        model_id: str,
    ) -> Iterator[tuple[int, ChunkResult]]:
        """Draft every chunk of requests with the translator that ``source`` makes (loaded
        once per process that translates): ``(index, drafts or problem)`` as each finishes."""
        ...


class InProcessScheduler:
    """The local engine: every stage in this process, item after item, in order."""

    name = "local"
    shares_files = True

    def map(
        self, stage: str, function: Callable[[T], R], items: Sequence[T]
    ) -> Iterator[tuple[int, R]]:
        for index, item in enumerate(items):
            yield index, function(item)

    def start(self, stage: str, function: Callable[[T], R], item: T) -> Callable[[], R]:
        return run_now(function, item)

    def translate(
        self,
        chunks: Sequence[Sequence[TranslationRequest]],
        source: TranslatorSource,
        model_id: str,
    ) -> Iterator[tuple[int, ChunkResult]]:
        translator: object | None = None
        failed: dict[tuple[str, str], str] = {}  # direction -> the problem that stopped it
        for index, chunk in enumerate(chunks):
            direction = (chunk[0].src, chunk[0].tgt)
            if direction in failed:  # the same model fails the same way: do not ask again
                yield index, failed[direction]
                continue
            if translator is None:
                try:
                    translator = source()
                except MistokError as err:
                    problem = f"no translation model: {err}"
                    yield from ((i, problem) for i in range(index, len(chunks)))
                    return
            result = draft_chunk(chunk, translator, model_id)
            if isinstance(result, str):
                failed[direction] = result
            yield index, result


#: Items per task of each CPU stage in the process pool: a tenth of a second of work or so
#: (aligning, making the bitext of and checking a pair together take about 7 ms), so that
#: the cost of a task (pickling its items and results, about a millisecond) stays small, yet
#: the stage spreads evenly over the workers and its results stream back steadily. 16 pairs
#: a task ran the per-pair step of 12,500 articles per side in 39.4 s, 8 in 41.7 s, 32 in
#: 39.8 s (bench/bench_engines.py, 2 cores).
CHUNK_SIZES = {"pair": 1, "per-pair": 16}

#: Tasks queued per worker at once, by stage (else :data:`TASKS_PER_WORKER`): enough that no
#: worker waits for the driver, few enough that the items in flight stay a small window of
#: the stage (flat memory).
TASKS_PER_WORKER = 3
#: A pairing task carries a whole date partition's articles, and a partition grows with the
#: archive's density (a thirteenth of the synthetic archives at every size): one queued per
#: worker. Reading the next partition back from the store takes the driver a fraction of a
#: second, pairing it takes a worker seconds.
STAGE_TASKS_PER_WORKER = {"pair": 1}

#: Stages that go to a worker however few their items once the workers run: the merge of
#: the pairing partitions (one item) makes every pair of the archive, and made in a worker,
#: those objects never take the driver's memory (what the driver frees stays with its
#: process). Before the workers start (an archive too small to pair in them), it runs here.
STAGES_IN_A_WORKER = frozenset({"pair-merge"})

#: Workers of the local engine (default: the cores this process may run on).
WORKERS_ENV = "MISTOK_RUN_WORKERS"

#: Inputs of at least this many bytes (about 1,300 short articles) give the pool's stages
#: enough items to run in workers: the local engine then starts its process server while the
#: driver reads them (:meth:`ProcessPoolScheduler.prepare_workers`).
EARLY_START_BYTES = 1 << 20

#: What the process server imports before it forks a worker: the driver's main module
#: (``forkserver``'s default), the modules of the stage functions, and the review page's
#: template engine, which the checks import on first use. (The Arrow dataset's modules, which
#: the bitext job imports, are left out: that job runs beside the driver's writing, which
#: takes longer.)
WORKER_PRELOAD = (
    "__main__",
    "mistok.pipeline.stages",
    "mistok.pipeline.bitext_files",
    "aligner.pairing_partitions",
    "jinja2",
)


def available_cores() -> int:
    """The cores this process may run on (``taskset`` and cgroup CPU sets respected)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def local_workers() -> int:
    """How many worker processes the local engine uses: ``$MISTOK_RUN_WORKERS`` when set (1: none,
    every stage in the driver's process), else one per available core."""
    given = os.environ.get(WORKERS_ENV, "").strip()
    if given.isdigit() and int(given) >= 1:
        return int(given)
    return available_cores()


#: How often a worker checks that the driver is still alive (seconds).
DRIVER_CHECK_SECONDS = 1.0


#: The garbage collector's thresholds in a worker process: young collections every 50,000
#: allocations instead of 700, older ones rarely. The stages make many short-lived objects
#: and keep bounded per-text caches, which Python's defaults traverse again and again (about
#: 6 % of a pair's CPU, measured with bench/bench_pair_stages.py); the results do not change.
WORKER_GC_THRESHOLDS = (50_000, 50, 1_000)


#: The folder that holds mistok's packages (``mistok``, ``aligner``, ``eval``, ``models``):
#: site-packages, or a source checkout.
PACKAGES_FOLDER = Path(__file__).resolve().parents[2]


def start_process_server(preload: Sequence[str] | None = None) -> None:
    """Start the workers' process server (``multiprocessing``'s forkserver), importing
    ``preload`` where given, from the folder that holds mistok's packages
    (:data:`PACKAGES_FOLDER`). Python 3.11's server imports its preload modules on the path
    of a ``python -c`` process, whose first entry is the folder it was started in: started
    from a folder holding a package named like one of mistok's (an ``eval/`` or ``models/``
    of the user's) or like a library it uses, every worker would run that package. Started
    from mistok's own folder, the workers import what the driver imports. A server running
    already is kept as it is (one per process)."""
    from multiprocessing import forkserver

    if preload is not None:
        forkserver.set_forkserver_preload(list(preload))
    with _working_folder(PACKAGES_FOLDER):
        forkserver.ensure_running()


@contextlib.contextmanager
def _working_folder(folder: Path) -> Iterator[None]:
    """This process's working folder set to ``folder`` for the block (left as it is where
    either cannot be: a working folder removed meanwhile, a folder that cannot be entered)."""
    before: str | None = None
    try:
        before = os.getcwd()
        os.chdir(folder)
    except OSError:
        pass
    try:
        yield
    finally:
        if before is not None:
            os.chdir(before)


def _start_worker(driver: int) -> None:
    """Worker initializer: the collector's thresholds (:data:`WORKER_GC_THRESHOLDS`; this
    process is the pool's own), and a watch that ends the worker once the driver is gone.
    A driver killed with SIGKILL or SIGTERM does not shut its pool down, and the workers
    (children of the forkserver, each holding both ends of the task queue) would otherwise
    wait for tasks for ever."""
    import gc
    import threading
    import time

    gc.set_threshold(*WORKER_GC_THRESHOLDS)

    def watch() -> None:
        while True:
            time.sleep(DRIVER_CHECK_SECONDS)
            try:
                os.kill(driver, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # a process of another user took the pid: gone too
                os._exit(1)

    threading.Thread(target=watch, name="mistok-driver-watch", daemon=True).start()


@dataclass(frozen=True)
class _RaisedError:
    """A mistok error met in a worker, sent back as a result and raised by the driver (its
    class may not survive pickling with its arguments)."""

    error_type: type
    message: str


def run_chunk(function: Callable[[T], R], items: Sequence[T]) -> list[tuple[object, list]]:
    """``function`` over one task's items in a worker: each result with the warnings it
    raised (``(category, message)``), so that the driver shows them as a one-process run
    does."""
    done: list[tuple[object, list]] = []
    for item in items:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result: object = function(item)
            except MistokError as err:
                done.append((_RaisedError(type(err), str(err)), []))
                break
        done.append((result, [(w.category, str(w.message)) for w in caught]))
    return done


def run_now(function: Callable[[T], R], item: T) -> Callable[[], R]:
    """``function(item)`` here, now: :meth:`StageScheduler.start` where no worker takes the
    job. What it raises is raised when its result is asked for, as from a worker."""
    try:
        result = function(item)
    except Exception as err:  # noqa: BLE001 - raised again where the result is taken
        failure = err

        def raise_again() -> R:
            raise failure

        return raise_again
    return lambda: result


def _delivered(result: object, raised: list) -> Any:
    """A worker's result as :func:`run_chunk` sent it back, in the driver: its warnings
    shown, and a mistok error it met raised again."""
    for category, message in raised:
        warnings.warn(message, category, stacklevel=3)
    if isinstance(result, _RaisedError):
        _raise_again(result)
    return result


def _raise_again(raised: _RaisedError) -> None:
    try:
        error = raised.error_type(raised.message)
    except Exception:  # a subclass with other arguments
        error = MistokError(raised.message)
    raise error


@dataclass
class ProcessPoolScheduler:
    """The local engine on several cores: pairing and the per-pair stages run in ``workers`` worker
    processes, a chunk of items per task (:data:`CHUNK_SIZES`), at most
    :data:`TASKS_PER_WORKER` tasks per worker in flight; translation runs in this process.

    A stage with fewer items than ``min_chunks`` tasks' worth runs in this process (a small
    archive does not pay for starting the workers), but for :data:`STAGES_IN_A_WORKER` once
    the workers run. The workers start at the first stage that needs them (``forkserver``: a
    clean process, safe beside a loaded model's threads) and stop at :meth:`close`. Use it as
    a context manager.
    """

    workers: int
    chunk_sizes: dict[str, int] = field(default_factory=lambda: dict(CHUNK_SIZES))
    min_chunks: int = 4
    name: str = "local"
    shares_files: bool = True
    _pool: ProcessPoolExecutor | None = field(default=None, init=False, repr=False)
    _here: InProcessScheduler = field(default_factory=InProcessScheduler, init=False)

    def __enter__(self) -> ProcessPoolScheduler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare_workers(self, input_bytes: int) -> None:
        """Start the workers' process server now when ``input_bytes`` of input will give the
        stages work for several workers (:data:`EARLY_START_BYTES`): it imports the stage
        modules (:data:`WORKER_PRELOAD`) on a core that reading the archive leaves idle,
        instead of when the pair step starts and waits for it, and the workers forked from it
        start with them. (The server and its preload list are the ``forkserver`` start
        method's, one per process: a server already running is kept as it is.)"""
        if self.workers < 2 or input_bytes < EARLY_START_BYTES or self._pool is not None:
            return
        start_process_server(WORKER_PRELOAD)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            start_process_server()  # unless the read step started it
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self._pool

    def map(
        self, stage: str, function: Callable[[T], R], items: Sequence[T]
    ) -> Iterator[tuple[int, R]]:
        size = self.chunk_sizes.get(stage, 8)
        few = len(items) < size * self.min_chunks
        if few and stage in STAGES_IN_A_WORKER:
            few = self._pool is None
        if self.workers < 2 or few:
            yield from self._here.map(stage, function, items)
            return
        starts = iter(range(0, len(items), size))
        in_flight: dict[Future, int] = {}

        def submit() -> None:
            start = next(starts, None)
            if start is not None:
                chunk = list(items[start : start + size])
                in_flight[self._executor().submit(run_chunk, function, chunk)] = start

        try:
            for _ in range(self.workers * STAGE_TASKS_PER_WORKER.get(stage, TASKS_PER_WORKER)):
                submit()
            while in_flight:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=in_flight.__getitem__):
                    start = in_flight.pop(future)
                    results = future.result()
                    submit()
                    for offset, (result, raised) in enumerate(results):
                        yield start + offset, _delivered(result, raised)
        except BrokenProcessPool:
            self.close()
            raise MistokError(
                f"a worker process of the local engine died in the {stage} stage; every "
                "result that came back is cached: rerun to resume (MISTOK_RUN_WORKERS=1 runs "
                "every stage in one process)"
            ) from None
        finally:
            for future in in_flight:
                future.cancel()

    def start(self, stage: str, function: Callable[[T], R], item: T) -> Callable[[], R]:
        """In a worker where the workers run already (see the class), else here."""
        if self._pool is None:
            return self._here.start(stage, function, item)
        future = self._pool.submit(run_chunk, function, [item])

        def result() -> R:
            try:
                ((value, raised),) = future.result()
            except BrokenProcessPool:
                self.close()
                raise MistokError(
                    f"a worker process of the local engine died in the {stage} stage; "
                    "rerun to resume"
                ) from None
            return _delivered(value, raised)

        return result

    def translate(
        self,
        chunks: Sequence[Sequence[TranslationRequest]],
        source: TranslatorSource,
        model_id: str,
    ) -> Iterator[tuple[int, ChunkResult]]:
        return self._here.translate(chunks, source, model_id)
