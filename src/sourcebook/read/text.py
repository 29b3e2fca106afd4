"""Plain text: bytes -> str, and the checks every reader shares.

``read_text_file`` turns a file into a ``Document`` or a ``Skip``; the helpers below are also used
by the HTML and JSON Lines readers:

* ``read_bytes`` refuses a file over the size limit *before* reading it (``too_large``), and a file
  too large to hold an article of at most ``limits.MAX_CHARS`` characters (``limits.py``);
* ``binary_problem`` spots NUL bytes, control characters and known file signatures (``binary``);
* ``decode_bytes`` tries UTF-8 (BOM stripped), UTF-16/32 by BOM, then charset-normalizer (``encoding``);
* ``article_problem`` refuses empty text and text that is clearly not English (``not_english``).

The text a ``Document`` carries has ``\\n`` line endings and no BOM: record offsets refer to it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from ..limits import MAX_CHARS, MAX_TEXT_BYTES, human_size, too_long_message, too_many_chars_message
from .document import Document, Skip


class ReadProblem(Exception):
    """Internal: why a document cannot be read.  Readers turn it into a ``Skip``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


# --------------------------------------------------------------------------- sizes


def too_large_message(size: int, max_bytes: int, what: str = "file") -> str:
    return f"{what} is {human_size(size)}; the limit is {human_size(max_bytes)} (use --max-mb)"


def read_bytes(path: str, max_bytes: int, article_cap: int | None = None) -> bytes:
    """The bytes of ``path``; the size is checked with ``os.stat`` before anything is read: over
    ``max_bytes`` (``--max-mb``), or over ``article_cap`` (more than one article can be)."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError as err:
        raise ReadProblem("not_found", "no such file") from err
    except OSError as err:
        raise ReadProblem("unreadable", f"cannot read the file ({_os_reason(err)})") from err
    if size > max_bytes:
        raise ReadProblem("too_large", too_large_message(size, max_bytes))
    check_article_bytes(size, article_cap)
    if article_cap is not None:
        max_bytes = min(max_bytes, article_cap)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except IsADirectoryError as err:
        raise ReadProblem("unreadable", "this is a folder, not a file") from err
    except OSError as err:
        raise ReadProblem("unreadable", f"cannot read the file ({_os_reason(err)})") from err
    if len(data) > max_bytes:  # grew while we looked, or a special file without a size
        raise ReadProblem("too_large", f"file is more than {human_size(max_bytes)}, the limit (use --max-mb)")
    return data


def check_article_bytes(size: int, cap: int | None, what: str = "the file") -> None:
    """Raise ``ReadProblem("too_large")`` when ``size`` bytes are more than one article can be."""
    if cap is not None and size > cap:
        raise ReadProblem("too_large", too_long_message(what, size, cap))


def _os_reason(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()


# --------------------------------------------------------------------------- binary


#: Leading bytes of common non-text files, and what to call them.
SIGNATURES: tuple[tuple[bytes, str | None], ...] = (
    (b"%PDF-", "a PDF document (convert it to text or HTML first)"),
    (b"PK\x03\x04", "a ZIP archive or an Office document such as .docx (save it as text first)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (save it as text first)"),
    (b"{\\rtf", "an RTF document (save it as plain text first)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", None),  # BMP, only with a plausible header (checked below)
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", None),  # Windows executable, only with a plausible header (checked below)
    (b"\xca\xfe\xba\xbe", "a compiled program or Java class"),
    (b"\xcf\xfa\xed\xfe", "a compiled program (Mach-O)"),
    (b"\x1f\x8b", "a gzip-compressed file (only .jsonl.gz / .gz JSON Lines are read compressed)"),
    (b"BZh", None),  # bzip2, only with a plausible header (checked below)
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an audio or video file (Ogg)"),
    (b"fLaC", "an audio file (FLAC)"),
    (b"ID3", "an audio file (MP3)"),
    (b"\x1aE\xdf\xa3", "a video file (Matroska/WebM)"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)


def _signature(data: bytes) -> str | None:
    for magic, what in SIGNATURES:
        if not data.startswith(magic):
            continue
        if what is not None:
            return what
        if magic == b"BM" and len(data) >= 26 and data[6:10] == b"\x00\x00\x00\x00":
            return "a BMP image"
        if magic == b"MZ" and len(data) >= 64 and b"\x00" in data[2:64]:
            return "a Windows program (.exe/.dll)"
        if magic == b"BZh" and len(data) >= 10 and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
            return "a bzip2-compressed file"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        return {b"WAVE": "an audio file (WAV)", b"AVI ": "a video file (AVI)", b"WEBP": "a WebP image"}[data[8:12]]
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "a video or image file (MP4/QuickTime/HEIF)"
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def binary_problem(data: bytes) -> str | None:
    """A one-line message when ``data`` is not text (checked on its first 64 KB), else None.

    UTF-16/32 text (which is full of NUL bytes) is recognised by its BOM or its pattern of NULs
    and is *not* binary.
    """
    what = _signature(data)
    if what:
        return f"this is {what}, not text"
    head = data[:65536]
    if _utf16_or_32(head):
        return None
    if b"\x00" in head:
        return "the file contains NUL bytes: it looks like binary data, not text"
    if head:
        n_control = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if n_control / len(head) > 0.05:
            return (f"{n_control / len(head):.0%} of the bytes are control characters: "
                    "it looks like binary data, not text")
    return None


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def _bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def _utf16_or_32(head: bytes) -> str | None:
    """The UTF-16/32 codec ``head`` is written in (by BOM, or by where its NUL bytes fall)."""
    enc = _bom_encoding(head)
    if enc and enc != "utf-8-sig":
        return enc
    sample = head[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    n = len(sample) - len(sample) % 4
    sample = sample[:n]
    # Mostly-ASCII UTF-16: every other byte is NUL.  UTF-32: three of four.
    for enc, positions, step in (
        ("utf-32-le", (1, 2, 3), 4),
        ("utf-32-be", (0, 1, 2), 4),
        ("utf-16-le", (1,), 2),
        ("utf-16-be", (0,), 2),
    ):
        if all(sample[p::step].count(0) >= 0.7 * len(sample[p::step]) for p in positions):
            others = [p for p in range(step) if p not in positions]
            if all(sample[p::step].count(0) <= 0.1 * len(sample[p::step]) for p in others):
                return enc
    return None


# --------------------------------------------------------------------------- decoding


#: Single-byte Western encodings that charset-normalizer may pick for English text whose
#: bytes mean the same in Windows-1252 for all that matters (quotes, dashes, accented names).
_WESTERN = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "mac_roman", "mac_iceland", "mac_latin2", "mac_turkish", "cp437", "cp850",
    "cp858", "kz1048", "ptcp154",
}


def decode_bytes(data: bytes) -> str:
    """Decode ``data`` to text: UTF-8 first (BOM stripped), UTF-16/32, then detection.

    Raises ``ReadProblem('encoding', ...)`` when no encoding gives plausible text.
    """
    enc = _utf16_or_32(data[:65536])
    if enc:
        try:
            return data.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError as err:
            raise ReadProblem("encoding",
                              f"the file looks like {enc.upper()} but does not decode as it ({err.reason})") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # noqa: BLE001 - detection must never crash a batch
        best = None
    if best is None:
        raise ReadProblem(
            "encoding",
            "cannot tell the character encoding: the file is not UTF-8 and no other encoding gives readable text "
            "(save it as UTF-8)",
        )
    if best.encoding in _WESTERN:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become ``\\n``; a leading BOM is dropped."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --------------------------------------------------------------------------- text checks


_WORD = re.compile(r"[^\W\d_]+")
#: English function words rare in other languages' running text.  English news has 18-30 %
#: of its words among these; German or French text next to none.
_ENGLISH_WORDS = frozenset(
    "the of and to with for said from by that which who they their this been were are after "
    "about has have his her it not".split()
)
#: Labels py3langid gives to English or to text it cannot tell from English.
_ENGLISH_LABELS = frozenset({"en", "pcm"})
#: Below this many letter-words (and letters) the language is not judged at all.
MIN_WORDS_FOR_LANGUAGE = 20
_SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_name(code: str) -> str:
    try:
        import pycountry

        lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
        if lang is not None:
            return lang.name
    except Exception:  # noqa: BLE001
        pass
    return code


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    half = _SAMPLE_CHARS // 2
    mid = len(text) // 2
    return text[:half] + "\n" + text[mid : mid + half]


def detect_language(text: str) -> tuple[str, float] | None:
    """``(code, confidence)`` for a sample of ``text``; None when it is too short to judge."""
    sample = _sample(text)
    words = _WORD.findall(sample)
    letters = sum(len(w) for w in words)
    if len(words) < MIN_WORDS_FOR_LANGUAGE and letters < 100:
        return None
    try:
        code, conf = _language_identifier().classify(sample)
    except Exception:  # noqa: BLE001 - an unusable identifier must not reject articles
        return None
    return code, float(conf)


def language_problem(text: str) -> str | None:
    """A message when ``text`` is clearly not English, else None.

    Cautious on purpose: short texts, and texts whose language the identifier is unsure of
    (English full of Arabic or Russian names), pass.  A text is refused only when the
    identifier names another language with confidence *and* English function words are
    (nearly) absent.
    """
    found = detect_language(text)
    if found is None:
        return None
    code, conf = found
    if code in _ENGLISH_LABELS:
        return None
    words = [w.lower() for w in _WORD.findall(_sample(text))]
    english_share = sum(w in _ENGLISH_WORDS for w in words) / max(len(words), 1)
    if (conf >= 0.9 and english_share < 0.08) or (conf >= 0.5 and english_share < 0.02 and len(words) >= 40):
        return f"text looks like {language_name(code)} ({code}), not English; sourcebook reads English articles only"
    return None


def _control_share(text: str) -> float:
    sample = text[:100_000]
    if not sample:
        return 0.0
    bad = sum(
        1
        for ch in sample
        if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
    )
    return bad / len(sample)


def article_problem(text: str, what: str = "the file") -> tuple[str, str] | None:
    """``(reason, message)`` when decoded ``text`` cannot be an English article, else None."""
    if not text:
        return "empty", f"{what} is empty"
    if not text.strip():
        return "empty", f"{what} contains only white space"
    if "\x00" in text:
        return "binary", f"{what} contains NUL characters: it looks like binary data, not text"
    share = _control_share(text)
    if share > 0.05:
        return "binary", (f"{share:.0%} of {what} is control or unassigned characters: "
                          "it looks like binary data, not text")
    msg = language_problem(text)
    if msg:
        return "not_english", msg
    return None


# --------------------------------------------------------------------------- reader


def text_from_bytes(data: bytes) -> str:
    """Checked, decoded, newline-normalized text of ``data`` (raises ``ReadProblem``)."""
    if not data:
        raise ReadProblem("empty", "the file is empty")
    check_article_bytes(len(data), MAX_TEXT_BYTES)
    msg = binary_problem(data)
    if msg:
        raise ReadProblem("binary", msg)
    text = check_chars(decode_bytes(data))
    text = check_chars(normalize_newlines(text))
    problem = article_problem(text)
    if problem:
        raise ReadProblem(*problem)
    return text


def check_chars(text: str) -> str:
    """``text``, or ``ReadProblem("too_large")`` when it is over ``MAX_CHARS`` characters."""
    if len(text) > MAX_CHARS:
        raise ReadProblem("too_large", too_many_chars_message(len(text)))
    return text


def read_text_bytes(data: bytes, origin: str) -> Document | Skip:
    try:
        return Document(text=text_from_bytes(data), origin=origin)
    except ReadProblem as p:
        return Skip(origin=origin, reason=p.reason, message=p.message)


def read_file_with(parse, path: str, max_bytes: int, origin: str | None = None,
                   article_cap: int | None = None) -> Document | Skip:
    """Read ``path`` (size-checked, see ``read_bytes``) and give its bytes to ``parse(data, origin)``,
    a bytes reader returning a ``Document`` or a ``Skip``; a file that cannot be read is a ``Skip`` too."""
    origin = origin or path
    try:
        data = read_bytes(path, max_bytes, article_cap)
    except ReadProblem as p:
        return Skip(origin=origin, reason=p.reason, message=p.message)
    return parse(data, origin)


def read_text_file(path: str, max_bytes: int, origin: str | None = None) -> Document | Skip:
    """A plain-text file (.txt, .text, .md) as a ``Document``, or a ``Skip`` saying why not."""
    return read_file_with(read_text_bytes, path, max_bytes, origin, MAX_TEXT_BYTES)
