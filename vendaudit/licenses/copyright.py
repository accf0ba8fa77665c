"""Copyright statements from license and NOTICE texts, for debian/copyright ``Copyright:``.

Only real statements are taken: a line that starts with ``Copyright``/``©``/``(c)`` and names
a holder, not the template lines license texts carry (Apache's ``Copyright [yyyy] [name of
copyright owner]``, the GPL's ``Copyright (C) <year> <name of author>``) nor sentences about
copyright (``Copyright notice``, ``copyright holders``).  The DEP-5 value drops the leading
word and symbol and a trailing "All rights reserved."::

    Copyright (c) 2009 The Go Authors. All rights reserved.  ->  2009 The Go Authors
"""

from __future__ import annotations

import re

__all__ = ["copyright_lines"]

_LINE = re.compile(
    r"^\s*(?:Copyright\b|©|\(c\))(?:\s*(?:\([cC]\)|©|Copyright\b))*[\s:,]*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Words that make "Copyright ..." a sentence about copyright, not a statement.
_NOT_HOLDER = re.compile(
    r"^(?:notice|notices|holder|holders|owner|owners|license|licen[cs]e|law|and|or|the\s+"
    r"above|statement|statements|protection|and\s+license|information|is|to|of|in|for|"
    r"\(?s\)?)\b",
    re.IGNORECASE,
)
_RESERVED = re.compile(r"[\s,;]*(?<![A-Z][a-z]\.)\.?[\s,;]*all rights reserved\.?\s*$", re.I)
_PLACEHOLDER = re.compile(r"[\[<{]\s*(?:yyyy|year|name|owner|author|copyright)", re.IGNORECASE)
_ABBREV = re.compile(r"\b(?:Inc|Ltd|Co|Corp|S\.A|GmbH|L\.L\.C|LLC)\.$")


def _clean(rest: str) -> str:
    text = re.sub(r"\s+", " ", _RESERVED.sub("", rest.strip()).strip())
    text = text.rstrip(",;").strip()
    if text.endswith(".") and not _ABBREV.search(text):
        text = text[:-1].rstrip()
    return text


def copyright_lines(text: str) -> list[str]:
    """The copyright statements of a license/NOTICE text, in order, without duplicates."""
    out: list[str] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        head = line.lstrip()
        # "copyright" in running text is lower case; a statement starts the line capitalised.
        if m is None or not (head[:1].isupper() or head.startswith(("©", "("))):
            continue
        rest = m.group("rest")
        if not rest or _PLACEHOLDER.search(rest) or _NOT_HOLDER.match(rest):
            continue
        value = _clean(rest)
        # A statement names a year or a holder of at least two words ("The Go Authors").
        if not value or not (re.search(r"\d{4}", value) or len(value.split()) >= 2):
            continue
        if value not in out:
            out.append(value)
    return out
