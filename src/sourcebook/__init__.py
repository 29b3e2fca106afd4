"""sourcebook: sourced data from conflict reporting.

>>> import sourcebook
>>> rec = sourcebook.extract('"We will stay," the commander said.')
>>> rec.to_dict()["quotes"][0]["type"]
'direct'
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("sourcebook")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .api import extract, extract_many  # noqa: E402
from .errors import InputError, ModelError, SourcebookError  # noqa: E402
from .record import REPORTER, SCHEMA, Count, Quote, Record, Source, Span  # noqa: E402

__all__ = [
    "extract",
    "extract_many",
    "Record",
    "Source",
    "Quote",
    "Count",
    "Span",
    "REPORTER",
    "SCHEMA",
    "SourcebookError",
    "InputError",
    "ModelError",
    "__version__",
]
