"""The driver of ``mistok run``: read → pair → align → bitext → translate → check → write.

- :mod:`mistok.pipeline.driver` — :func:`run_pipeline`, the short sequence of steps over one
  run-state record, and what a run reports back (:class:`RunSummary`);
- :mod:`mistok.pipeline.inputs` — reading the archive, the bridge, style and baseline files,
  and telling whether the archive changed while the run read it;
- :mod:`mistok.pipeline.stages` — the stage functions (pure, picklable work per partition or
  pair) that a scheduler runs;
- :mod:`mistok.pipeline.translation` and :mod:`mistok.pipeline.drafting` — the translation
  stage: the driver's side (cache, chunks, what is left untranslated) and the model's side;
- :mod:`mistok.pipeline.scheduling` and :mod:`mistok.pipeline.ray_engine` — where the stage
  functions run: in the driver, a pool of worker processes, or a Ray cluster;
- :mod:`mistok.pipeline.writers` and :mod:`mistok.pipeline.report` — the output folder's
  files, ``report.json`` and ``report.html`` last.

The records the stages exchange are in :mod:`mistok.run_records`, the output folder and the
result cache in :mod:`mistok.output_dir`, the file formats in :mod:`mistok.export`: the review
application and the export command use them too, so they sit below this package.
"""
