"""The error hierarchy shared by every layer.

Each error carries a message that names the file (or setting) and what to do next. The CLI
turns any :class:`MistokError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

__all__ = ["ConfigError", "InputError", "MistokError", "ModelUnavailableError", "first_line"]


class MistokError(Exception):
    """Base class of every error mistok raises on purpose."""


class InputError(MistokError):
    """An input file or record cannot be read or makes no sense."""


class ConfigError(MistokError):
    """A setting, style file or option is invalid."""


class ModelUnavailableError(MistokError):
    """A translation model cannot be found or loaded."""


def first_line(error: BaseException) -> str:
    """The first line of what a foreign library's error says (its type's name when it says
    nothing): what goes inside the one line an error of ours prints."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
