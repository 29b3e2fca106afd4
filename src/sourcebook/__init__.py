"""sourcebook: sourced data from conflict reporting.

>>> import sourcebook
>>> rec = sourcebook.extract('"We will stay," the commander said.')
>>> rec.to_dict()["quotes"][0]["type"]
'direct'
"""

from .api import extract, extract_many
from .errors import InputError, ModelError, SourcebookError
from .record import REPORTER, SCHEMA, Count, Quote, Record, Source, Span
from .version import __version__

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
