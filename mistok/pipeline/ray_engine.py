"""The Ray engine of ``mistok run``: the same stages, scheduled on a Ray cluster.

``mistok run … --engine ray`` hands every stage's work to Ray Data instead of looping over it
in one process. The driver (:func:`mistok.pipeline.driver.run_pipeline`) is the same for both
engines: it reads the inputs, looks each piece of work up in the result cache, gives the rest
to the scheduler, caches each result as it streams back, and writes the outputs. So a Ray run
writes byte for byte what a local run writes, and the two resume each other's runs.

How each stage runs here (Ray Data over the records of :mod:`mistok.run_records`):

- pair: one task per date partition of the archive (:mod:`aligner.pairing_partitions`), so
  that no worker holds the whole archive; the driver merges the partitions' pairs;
- align, bitext, check: one task per batch of pairs (each pair aligned, its bitext made and
  checked, :func:`mistok.pipeline.stages.pair_work`), ``map_batches`` as stateless tasks,
  one CPU each, a second or two of work per task (:data:`BATCH_SIZES`);
- translate: ``map_batches`` with a callable class, an actor pool in which each actor loads
  the model once (``--ray-gpus-per-actor``, one GPU per actor by default when the cluster has
  GPUs), one chunk of requests per call.

Worker failures: Ray retries a task whose worker died (three times, Ray's default) and Ray
Data restarts a dead actor and retries its call; a stage that still fails stops the run with
one line naming the stage, and since every result that came back is already cached, a rerun
resumes there.
"""

from __future__ import annotations

import logging
import os
import socket
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from aligner.errors import (
    ConfigError,
    InputError,
    MistokError,
    ModelUnavailableError,
    first_line,
)
from mistok.pipeline.drafting import ChunkResult, TranslatorSource, draft_chunk
from mistok.pipeline.scheduling import run_now
from mistok.run_records import TranslationRequest

T = TypeVar("T")
R = TypeVar("R")

RAY_HINT = "install it with: pip install 'mistok[ray]'"

#: Records per task of each CPU stage: a second or two of work, so that Ray Data's overhead
#: per task (about 0.1 s measured on the 2-core development machine, where the scheduler
#: shares the cores with the workers) stays near a tenth, yet many tasks per worker so that the
#: stage spreads and a retried task redoes little. Aligning, making the bitext of and checking
#: a pair (one per-pair task) take about 10-20 ms together; a partition is one task.
BATCH_SIZES = {"pair": 1, "per-pair": 64}

#: Items handed to Ray Data at once, at the least (a window): the object store then holds one
#: window of a stage's items, not the archive's. A large cluster gets larger windows, enough
#: for :data:`TASKS_PER_CPU` tasks per CPU, so that no CPU waits at a window's end for long.
WINDOW_ITEMS = 20_000
TASKS_PER_CPU = 8

@dataclass(frozen=True)
class RaySettings:
    """Where and how ``--engine ray`` runs."""

    #: ``None``: start Ray on this machine for this run; ``auto``: the cluster this machine
    #: belongs to (``ray start``); ``HOST:PORT`` (its GCS) or ``ray://HOST:PORT`` (Ray Client).
    address: str | None = None
    #: CPUs of a Ray started for this run (default: all of this machine's).
    num_cpus: int | None = None
    #: Translation actors (default: one per GPU of the cluster, else one).
    translate_actors: int | None = None
    #: GPUs reserved by each translation actor (default: 1 when the cluster has GPUs, else 0).
    gpus_per_actor: float | None = None
    batch_sizes: dict[str, int] = field(default_factory=lambda: dict(BATCH_SIZES))
    #: Items per Ray Data dataset at the least (see :data:`WINDOW_ITEMS`).
    window_items: int = WINDOW_ITEMS

    def __post_init__(self) -> None:
        if self.num_cpus is not None and self.num_cpus < 1:
            raise ConfigError(f"--ray-num-cpus must be at least 1, not {self.num_cpus}")
        if self.translate_actors is not None and self.translate_actors < 1:
            raise ConfigError(f"--ray-actors must be at least 1, not {self.translate_actors}")
        if self.gpus_per_actor is not None and self.gpus_per_actor < 0:
            raise ConfigError(f"--ray-gpus-per-actor cannot be negative ({self.gpus_per_actor})")


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401 - the engine needs Ray Data, not only Ray core
    except ImportError as err:
        raise ConfigError(f"--engine ray needs Ray Data ({err}); {RAY_HINT}") from None
    return ray


def _reachable(address: str, timeout: float = 5.0) -> str | None:
    """Why ``HOST:PORT`` (or ``ray://HOST:PORT``) cannot be reached, or ``None``."""
    target = address.removeprefix("ray://")
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        return f"{address!r} is not HOST:PORT, ray://HOST:PORT or auto"
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return None
    except OSError as err:
        return err.strerror or str(err)


def connect(settings: RaySettings) -> bool:
    """Join (or start) the Ray cluster; ``True`` when this call started Ray (and so should
    stop it). A process already connected to Ray (tests) keeps its connection."""
    ray = _import_ray()
    address = settings.address or os.environ.get("RAY_ADDRESS") or None
    if address not in (None, "auto", "local"):
        problem = _reachable(address)
        if problem:
            raise InputError(
                f"no Ray cluster at {address} ({problem}); start one with `ray start --head` "
                "on the head node, and give its address (HOST:6379, or ray://HOST:10001 from "
                "outside the cluster), or drop --ray-address to run Ray on this machine"
            )
    if ray.is_initialized():
        return False
    options: dict[str, object] = {
        "include_dashboard": False,
        "log_to_driver": False,
        # Ray's own warnings (token authentication, memory) go to its log files
        # (/tmp/ray/session_latest/logs), not to the run's one line per problem
        "logging_level": logging.ERROR,
    }
    if address in (None, "local"):
        options["num_cpus"] = settings.num_cpus
    else:
        options["address"] = address
    try:
        ray.init(**options)
    except ConnectionError as err:
        raise InputError(
            f"no Ray cluster at {address} ({err}); start one with `ray start --head`, or drop "
            "--ray-address to run Ray on this machine"
        ) from None
    return True


def _quiet_ray_data() -> None:
    """One line per problem on stderr is ours to print; Ray Data's progress bars and
    per-dataset log lines are not."""
    from ray.data import DataContext

    with warnings.catch_warnings():
        # Ray's own default context sets fields it has deprecated (Ray 2.60): not ours to show
        warnings.simplefilter("ignore", DeprecationWarning)
        context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.verbose_stats_logs = False
    for name in ("ray.data", "ray.data._internal"):
        logging.getLogger(name).setLevel(logging.ERROR)


# -- what runs on the workers ----------------------------------------------------------------


def _run_stage(batch: dict, function: Callable, stage: str) -> dict:
    """``function`` over the items of one batch; warnings go back with the results, so that
    the driver shows them as a local run does."""
    import numpy as np

    items = batch["item"]
    results = np.empty(len(items), dtype=object)
    raised = np.empty(len(items), dtype=object)
    for k, item in enumerate(items):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                results[k] = function(item)
            except MistokError as err:  # Ray Data would pass on only its type's name
                results[k] = _StageError(err)
        raised[k] = [(w.category, str(w.message)) for w in caught]
    return {"index": batch["index"], "result": results, "warnings": raised}


@dataclass(frozen=True)
class _StageError:
    """A mistok error met on a worker, sent back as a result to be raised on the driver."""

    error: MistokError


class _DraftChunks:
    """A translation actor: loads the model once, then drafts one chunk of requests per call."""

    def __init__(self, source: TranslatorSource, model_id: str) -> None:
        self.model_id = model_id
        self.problem: str | None = None
        self.translator: object | None = None
        try:
            self.translator = source()
        except MistokError as err:
            # the chunks come back with the reason, as a local run without the model does
            self.problem = f"no translation model on a Ray worker: {err}"

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        results = np.empty(len(batch["chunk"]), dtype=object)
        for k, chunk in enumerate(batch["chunk"]):
            if self.translator is None:
                results[k] = self.problem
            else:
                results[k] = draft_chunk(list(chunk), self.translator, self.model_id)
        return {"index": batch["index"], "result": results}


# -- the scheduler ---------------------------------------------------------------------------


class RayScheduler:
    """Maps the stages over a Ray cluster with Ray Data (see the module's docstring)."""

    name = "ray"
    shares_files = False  # a worker may be on another node

    def __init__(self, settings: RaySettings = RaySettings()) -> None:
        self.settings = settings
        _quiet_ray_data()

    def _rows(self, stage: str, dataset) -> Iterator[dict]:
        """The rows of a stage's dataset as they are computed; a failure becomes one line."""
        try:
            yield from dataset.iter_rows()
        except MistokError:
            raise
        except Exception as err:  # noqa: BLE001 - Ray wraps whatever a worker met
            raise MistokError(
                f"the Ray cluster failed the {stage} stage ({type(err).__name__}: "
                f"{first_line(err)}); every result that came back is cached: rerun to resume"
            ) from None

    def map(
        self, stage: str, function: Callable[[T], R], items: Sequence[T]
    ) -> Iterator[tuple[int, R]]:
        if not items:
            return
        import ray

        size = self.settings.batch_sizes.get(stage, 8)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        window = max(self.settings.window_items, cpus * size * TASKS_PER_CPU)
        for start in range(0, len(items), window):
            yield from self._map_window(stage, function, items, start, start + window, size)

    def start(self, stage: str, function: Callable[[T], R], item: T) -> Callable[[], R]:
        """Here, now: a cluster's workers may not see the files of the driver's output folder
        that such a job reads and writes."""
        return run_now(function, item)

    def _map_window(
        self,
        stage: str,
        function: Callable[[T], R],
        items: Sequence[T],
        start: int,
        end: int,
        size: int,
    ) -> Iterator[tuple[int, R]]:
        """One Ray Data dataset over ``items[start:end]``: the object store holds one window
        of the stage's items at a time, not the archive."""
        import ray.data

        rows = [{"index": i, "item": items[i]} for i in range(start, min(end, len(items)))]
        dataset = ray.data.from_items(
            rows,
            override_num_blocks=-(-len(rows) // size),  # one block per task
        ).map_batches(
            _run_stage,
            fn_kwargs={"function": function, "stage": stage},
            batch_size=size,
            batch_format="numpy",
            num_cpus=1,
        )
        del rows
        for row in self._rows(stage, dataset):
            for category, message in row["warnings"]:
                warnings.warn(message, category, stacklevel=3)
            if isinstance(row["result"], _StageError):
                raise row["result"].error
            yield int(row["index"]), row["result"]

    def translate(
        self,
        chunks: Sequence[Sequence[TranslationRequest]],
        source: TranslatorSource,
        model_id: str,
    ) -> Iterator[tuple[int, ChunkResult]]:
        if not chunks:
            return
        check = getattr(source, "check", None)
        if check is not None:  # ask the driver's machine first: no actor started in vain
            try:
                check()
            except ModelUnavailableError as err:
                yield from ((i, f"no translation model: {err}") for i in range(len(chunks)))
                return
        import ray
        import ray.data

        gpus = float(ray.cluster_resources().get("GPU", 0))
        per_actor = self.settings.gpus_per_actor
        if per_actor is None:
            per_actor = 1.0 if gpus >= 1 else 0.0
        if per_actor > gpus:  # Ray would wait for GPUs that never come
            raise ConfigError(
                f"--ray-gpus-per-actor {per_actor:g}, but the Ray cluster has {gpus:g} GPUs; "
                "add GPU nodes, or give --ray-gpus-per-actor 0 to translate on CPUs"
            )
        actors = self.settings.translate_actors or (int(gpus // per_actor) if per_actor else 1)
        on_device = getattr(source, "on_device", None)
        if per_actor and on_device is not None:  # each actor gets its GPU as its only "cuda"
            source = on_device("cuda")
        dataset = ray.data.from_items(
            [{"index": i, "chunk": list(chunk)} for i, chunk in enumerate(chunks)],
            override_num_blocks=max(1, min(len(chunks), 1000)),
        ).map_batches(
            _DraftChunks,
            fn_constructor_kwargs={"source": source, "model_id": model_id},
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=max(actors, 1)),
            num_cpus=1,
            num_gpus=per_actor,
        )
        for row in self._rows("translate", dataset):
            yield int(row["index"]), row["result"]


@contextmanager
def ray_scheduler(settings: RaySettings = RaySettings()) -> Iterator[RayScheduler]:
    """A :class:`RayScheduler` on the cluster of ``settings``; stops a Ray it started."""
    started = connect(settings)
    try:
        yield RayScheduler(settings)
    finally:
        if started:
            import ray

            ray.shutdown()
