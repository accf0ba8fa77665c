"""Exact-text license matching for the licenses common in Go modules.

Each template is a set of invariant phrases from the license's standard text, written
after :func:`normalise` (lower case, punctuation and white space folded to one space).
A text matches when it contains every required phrase and none of the excluding ones;
copyright lines, years and names vary and are never part of a phrase.  The checks run
most specific first, so BSD-3-Clause (BSD-2 plus the "neither the name" clause) is
never reported as BSD-2-Clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TEMPLATES", "Template", "match_text", "normalise"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case ``text`` and fold every run of non-alphanumerics into one space."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


@dataclass(frozen=True, slots=True)
class Template:
    """The phrases that identify one license (already normalised)."""

    spdx: str
    required: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def matches(self, norm: str) -> bool:
        """True when ``norm`` (a :func:`normalise`-d text) is this license."""
        return all(p in norm for p in self.required) and not any(p in norm for p in self.excluded)


def _t(spdx: str, required: tuple[str, ...], excluded: tuple[str, ...] = ()) -> Template:
    return Template(
        spdx,
        tuple(normalise(p) for p in required),
        tuple(normalise(p) for p in excluded),
    )


_BSD_BASE = (
    "Redistribution and use in source and binary forms, with or without modification, "
    "are permitted provided that the following conditions are met",
    "Redistributions of source code must retain the above copyright notice",
    "Redistributions in binary form must reproduce the above copyright notice",
)
_ENDORSE = "endorse or promote products derived from this software"

TEMPLATES: tuple[Template, ...] = (
    _t(
        "Apache-2.0",
        (
            "Apache License",
            "Version 2.0",
            "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
        ),
    ),
    # The short notice many files carry instead of the full text.
    _t(
        "Apache-2.0",
        (
            "Licensed under the Apache License, Version 2.0",
            "you may not use this file except in compliance with the License",
        ),
    ),
    _t(
        "MPL-2.0",
        ("Mozilla Public License Version 2.0", "Covered Software"),
    ),
    _t(
        "MPL-2.0",
        ("This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0",),
    ),
    _t("BSD-3-Clause", (*_BSD_BASE, "Neither the name of", _ENDORSE)),
    _t("BSD-2-Clause", _BSD_BASE, ("Neither the name of", _ENDORSE, "advertising materials")),
    _t(
        "MIT",
        (
            "Permission is hereby granted, free of charge, to any person obtaining a copy of "
            "this software and associated documentation files",
            "The above copyright notice and this permission notice shall be included in all "
            "copies or substantial portions of the Software",
        ),
    ),
    _t(
        "ISC",
        (
            # "and/or distribute" (current) or "and distribute" (older ISC text).
            "Permission to use, copy, modify,",
            "distribute this software for any purpose with or without fee is hereby granted, "
            "provided that the above copyright notice and this permission notice appear in all "
            "copies",
            'THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES',
        ),
    ),
    _t("Unlicense", ("This is free and unencumbered software released into the public domain",)),
    _t("CC0-1.0", ("Creative Commons", "CC0 1.0 Universal")),
)
"""Templates in the order they are tried."""


def match_text(text: str) -> list[str]:
    """SPDX ids whose template matches ``text`` (several for dual-license files), deduped."""
    norm = normalise(text)
    found: list[str] = []
    for tpl in TEMPLATES:
        if tpl.spdx not in found and tpl.matches(norm):
            found.append(tpl.spdx)
    return found
