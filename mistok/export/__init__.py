"""The exporters of a run's results: bitext as TMX (:mod:`~mistok.export.tmx`), JSON Lines,
Parquet and a Hugging Face dataset (:mod:`~mistok.export.dataset`); translation jobs as XLIFF
(:mod:`~mistok.export.xliff`); findings as CSV and XLSX (:mod:`~mistok.export.findings`);
the translators' files of a run folder together (:mod:`~mistok.export.translator_files`); and
JUnit (:mod:`~mistok.export.junit`). Each takes records of :mod:`mistok.run_records` and writes
bytes; none imports the driver."""
