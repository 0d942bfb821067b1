"""mistok: keep the Ukrainian and English versions of news articles in step."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mistok")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
