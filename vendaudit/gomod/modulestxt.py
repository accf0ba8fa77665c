"""Read ``vendor/modules.txt`` exactly as the go command does (cmd/go ``readVendorList``).

The file is a list of module headers, each followed by optional ``##`` annotations and the
import paths of the packages vendored from it::

    ## workspace                              (only written by ``go work vendor``)
    # example.com/a v1.2.3 => ./a             (header, optional replacement)
    ## explicit; go 1.21                      (annotations, ``;``-separated, unioned)
    example.com/a/pkg                         (one vendored package per line)
    # example.com/c => ./c                    (trailing replacement-only line)

Go's reader is forgiving and so is this one: lines before the first header, lines after a
header it cannot interpret, unknown annotations and package lines that are not valid import
paths are silently ignored, just as the go command ignores them.  The one place where
vendaudit is stricter is *undecodable* input: invalid UTF-8 or NUL bytes raise
:class:`ModulesTxtError` (``file:line: …``), because such a file cannot have been written by
``go mod vendor`` and a user is better served by an error than by a silently empty result.

CRLF line endings: Go splits on ``\\n`` only, but every field it looks at goes through
``strings.Fields`` or ``strings.TrimSpace``, both of which treat ``\\r`` as white space, so a
CRLF file means the same thing as an LF one.  We split and trim with Go's definition of white
space, so the ``\\r`` never leaks into a path, version or annotation either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vendaudit.gomod.errors import ModulesTxtError
from vendaudit.gomod.lexer import fields, trim_space
from vendaudit.gomod.model import ModVersion
from vendaudit.versions import semver
from vendaudit.versions.modpath import check_import_path

__all__ = ["ModulesTxt", "VendoredModule", "parse_modules_txt"]


@dataclass(frozen=True, slots=True)
class VendoredModule:
    """One module header of modules.txt with everything recorded under it.

    A header that appears several times is merged (annotations unioned, packages
    concatenated), because Go keys its metadata by ``(path, version)``.
    """

    path: str
    version: str
    """``""`` for a wildcard header (``# path => …``)."""
    replacement: ModVersion | None = None
    """The ``=> new [newver]`` suffix; ``version == ""`` for a directory replacement."""
    explicit: bool = False
    """``## explicit``: the exact path@version is required by the main module."""
    go_version: str = ""
    """The ``## go X`` annotation (the dependency's own go directive), ``""`` if absent."""
    packages: tuple[str, ...] = ()
    """Import paths of the packages vendored from this module, in file order."""
    line: int = 0
    """Line of the (first) header."""

    @property
    def key(self) -> tuple[str, str]:
        """``(path, version)``, the key Go uses for this module's metadata."""
        return (self.path, self.version)


@dataclass(frozen=True, slots=True)
class ModulesTxt:
    """A parsed vendor/modules.txt.

    ``modules`` holds every header with a version, plus wildcard headers that carry packages
    or annotations, in order of first appearance.  ``replacements`` maps each header key
    (``(path, "")`` for wildcards) to its recorded replacement.
    """

    modules: tuple[VendoredModule, ...] = ()
    replacements: dict[tuple[str, str], ModVersion] = field(default_factory=dict, hash=False)
    workspace: bool = False
    """The first line is a ``## workspace`` annotation (written by ``go work vendor``)."""
    vendor_list: tuple[tuple[str, str], ...] = ()
    """Go's ``vendorList``: keys that contribute packages, in the order Go appends them
    (a path is appended again when a higher version of it provides packages later)."""
    replaced: tuple[tuple[str, str], ...] = ()
    """Go's ``vendorReplaced``: every header with an understood replacement, repeats kept."""

    def get(self, path: str, version: str) -> VendoredModule | None:
        """The module recorded under exactly ``path`` and ``version``, if any."""
        for mod in self.modules:
            if mod.path == path and mod.version == version:
                return mod
        return None

    def vendor_version(self, path: str) -> str | None:
        """Go's ``vendorVersion``: the selected version of ``path`` if it provides packages."""
        found = None
        for p, v in self.vendor_list:
            if p == path:
                found = v
        return found


@dataclass(slots=True)
class _Acc:
    """Mutable accumulator for one header key while reading."""

    line: int
    replacement: ModVersion | None = None
    explicit: bool = False
    go_version: str = ""
    packages: list[str] = field(default_factory=list)
    annotated: bool = False


def _decode(raw: bytes, filename: str, lineno: int) -> str:
    if b"\x00" in raw:
        raise ModulesTxtError(f"{filename}:{lineno}: unexpected NUL byte (binary file?)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModulesTxtError(
            f"{filename}:{lineno}: invalid UTF-8 (byte 0x{raw[exc.start]:02x} "
            f"at column {exc.start + 1})"
        ) from None


def _is_import_path(text: str) -> bool:
    try:
        check_import_path(text)
    except ValueError:
        return False
    return True


def _is_workspace(data: bytes) -> bool:
    # modulesTextIsForWorkspace reads only the first 512 bytes and looks at the first line.
    first = data[:512].split(b"\n", 1)[0].decode("utf-8", "replace")
    if not first.startswith("## "):
        return False
    return any(trim_space(e) == "workspace" for e in first[3:].split(";"))


def parse_modules_txt(data: bytes, filename: str) -> ModulesTxt:
    """Parse modules.txt ``data`` (read from ``filename``, used in messages).

    Raises :class:`ModulesTxtError` only for undecodable input (NUL bytes, invalid UTF-8);
    everything Go would ignore is ignored.
    """
    accs: dict[tuple[str, str], _Acc] = {}
    vendor_list: list[tuple[str, str]] = []
    vendor_version: dict[str, str] = {}
    replaced: list[tuple[str, str]] = []
    cur: tuple[str, str] | None = None

    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        line = _decode(raw, filename, lineno)
        if line.startswith("# "):
            f = fields(line)
            if len(f) < 3:
                # Go `continue`s here without clearing the current module.
                continue
            if semver.is_valid(f[2]):
                cur, rest = (f[1], f[2]), f[3:]
            elif f[2] == "=>":
                cur, rest = (f[1], ""), f[2:]
            else:
                cur = None
                continue
            acc = accs.setdefault(cur, _Acc(lineno))
            if len(rest) >= 2 and rest[0] == "=>":
                if len(rest) == 2:
                    acc.replacement = ModVersion(rest[1])
                    replaced.append(cur)
                elif len(rest) == 3 and semver.is_valid(rest[2]):
                    acc.replacement = ModVersion(rest[1], rest[2])
                    replaced.append(cur)
                # Any other replacement syntax is not understood and ignored, as in Go.
            continue

        if cur is None:
            continue
        acc = accs[cur]
        if line.startswith("## "):
            for entry in line[3:].split(";"):
                entry = trim_space(entry)
                if entry == "explicit":
                    acc.explicit = acc.annotated = True
                if entry.startswith("go "):
                    acc.go_version = entry[3:]
                    acc.annotated = True
                # All other entries are reserved for future use (Go ignores them too).
            continue

        f = fields(line)
        if len(f) == 1 and _is_import_path(f[0]):
            acc.packages.append(f[0])
            prev = vendor_version.get(cur[0])
            if prev is None or semver.compare(prev, cur[1]) < 0:
                vendor_list.append(cur)
                vendor_version[cur[0]] = cur[1]

    modules = tuple(
        VendoredModule(
            path=key[0],
            version=key[1],
            replacement=acc.replacement,
            explicit=acc.explicit,
            go_version=acc.go_version,
            packages=tuple(acc.packages),
            line=acc.line,
        )
        for key, acc in accs.items()
        if key[1] != "" or acc.packages or acc.annotated
    )
    replacements = {k: a.replacement for k, a in accs.items() if a.replacement is not None}
    return ModulesTxt(
        modules=modules,
        replacements=replacements,
        workspace=_is_workspace(data),
        vendor_list=tuple(vendor_list),
        replaced=tuple(replaced),
    )
