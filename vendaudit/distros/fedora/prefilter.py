"""Byte-level prefilter for primary.xml: which ``<package>`` blocks cannot matter.

Decompressed primary.xml is cut after every ``</package>``; a *block* is the bytes from
the previous cut up to and including the next ``</package>``.  :func:`skippable` says
whether a block provably is one ordinary ``<package>`` element that provides no Go import
path, so the caller may count it and never hand it to expat.  Everything else (the
prologue, Go packages, anything unusual) still goes through expat, so a false "no" only
costs time while a "yes" must be exact.

The argument, for a block that starts right after a ``</package>`` that expat itself
reported as the end of a child of the root (see ``primary.py``), in an ASCII-compatible
encoding:

* it is whitespace, then ``<package`` + whitespace/``>``: a real package start tag (the
  ``<`` cannot be in text, an attribute value or a comment at that point);
* it contains no ``<!`` and no ``<?``: no comment, CDATA section or processing
  instruction can hide a ``</package>`` or ``<package`` from the byte search, so every
  ``<`` in it opens a real tag;
* it contains no further ``<package`` start, so the final ``</package>`` closes the one
  that opened the block (no nesting) and the depth is back where it started;
* the start tag declares no namespace (``xmlns``), so the element resolves to the same
  name as its already verified predecessor;
* it contains no ``&#``: without character references, an attribute value that starts
  with ``golang(`` or ``golang-ipath(`` must appear as those literal bytes right after
  its opening quote — and no such quote + prefix is present.

A block that passes would make the expat state machine count one package and keep
nothing.  What skipping gives up is well-formedness checking *inside* skipped blocks;
truncation, DTDs and the open-checksum are unaffected (see ``primary.py``).
"""

from __future__ import annotations

import re

__all__ = ["END_TAG", "hazards", "skippable"]

END_TAG = b"</package>"
"""The byte string blocks are cut after."""

_LEAD = re.compile(rb"[ \t\r\n]*<package[ \t\r\n>]")
# Bytes that may follow "<package" when it is the start tag of a <package> element (and
# not of <packager> etc.); "/" covers the empty-element form.
_TAG_END = frozenset(b" \t\r\n>/")
_QUOTES = frozenset(b"\"'")
_GO_PREFIXES = (b"golang(", b"golang-ipath(")


def _pairs(buf: bytes, first: int, second: int, start: int, end: int, out: list[int]) -> None:
    """Append where ``bytes([first, second])`` starts in ``buf[start:end]`` to ``out``.

    Searches for the rarer second byte with a single-byte find (memchr, far faster than
    a two-byte search) and checks its neighbour.
    """
    needle = bytes([second])
    i = buf.find(needle, start + 1, end)
    while i >= 0:
        if buf[i - 1] == first:
            out.append(i - 1)
        i = buf.find(needle, i + 1, end)


def hazards(buf: bytes, start: int, end: int) -> list[int]:
    """Sorted positions in ``buf[start:end]`` that forbid skipping the block holding them.

    These are ``<!`` (comment, CDATA), ``<?`` (processing instruction), ``&#`` (character
    reference) and an attribute value starting with ``golang(`` or ``golang-ipath(``.
    Searched once per chunk rather than per block; a sentinel past ``end`` closes the list.
    """
    out: list[int] = []
    _pairs(buf, 0x3C, 0x21, start, end, out)  # "<!"
    _pairs(buf, 0x3C, 0x3F, start, end, out)  # "<?"
    _pairs(buf, 0x26, 0x23, start, end, out)  # "&#"
    for prefix in _GO_PREFIXES:
        i = buf.find(prefix, start + 1, end)
        while i >= 0:
            # Only an attribute value *starting* with the prefix can be a Go provide;
            # "bundled(golang(...))" and text in descriptions are not.
            if buf[i - 1] in _QUOTES:
                out.append(i)
                # The rest of this block is fed to expat anyway.
                nxt = buf.find(END_TAG, i, end)
                if nxt < 0:
                    break
                i = nxt
            i = buf.find(prefix, i + len(prefix), end)
    out.sort()
    out.append(end + 1)
    return out


def skippable(buf: bytes, start: int, end: int) -> bool:
    """Whether ``buf[start:end]`` (a block ending in ``</package>``) may bypass expat.

    Only meaningful when the block starts at a verified package boundary and holds none
    of the :func:`hazards` (module docstring); the caller guarantees both.  True means:
    exactly one ``<package>`` element, which therefore provides no ``golang(...)`` or
    ``golang-ipath(...)``.
    """
    lead = _LEAD.match(buf, start, end)
    if lead is None:
        return False
    body = lead.end()
    # The start tag ends before the next "<" ("<" is not allowed in attribute values).
    first_lt = buf.find(b"<", body, end)
    if buf.find(b"xmlns", body, first_lt) >= 0:
        return False
    i = buf.find(b"<package", body, end)
    while i >= 0:
        if buf[i + 8] in _TAG_END:
            return False  # nested <package>: the cut is not this element's end
        i = buf.find(b"<package", i + 8, end)
    return True
