"""Shared pytest fixtures: each area adds its fixture module's names here."""

from fixtures_review import review_base, review_run  # noqa: F401
from fixtures_tiny_marian import offline_hub, tiny_marian  # noqa: F401
