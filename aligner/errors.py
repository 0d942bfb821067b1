"""The error hierarchy shared by every layer.

Each error carries a message that names the file (or setting) and what to do next. The CLI
turns any :class:`MistokError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

__all__ = ["ConfigError", "InputError", "MistokError", "ModelUnavailableError"]


class MistokError(Exception):
    """Base class of every error mistok raises on purpose."""


class InputError(MistokError):
    """An input file or record cannot be read or makes no sense."""


class ConfigError(MistokError):
    """A setting, style file or option is invalid."""


class ModelUnavailableError(MistokError):
    """A translation model cannot be found or loaded."""
