"""The installed package's version (a module of its own, so that library modules can read it
without importing the package's ``__init__``)."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("sourcebook")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
