"""Shared pytest fixtures: each area adds its fixture module's names here."""

from fixtures_tiny_marian import offline_hub, tiny_marian  # noqa: F401
