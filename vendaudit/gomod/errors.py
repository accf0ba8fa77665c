"""Errors of the Go manifest layer, formatted like the go command's."""

from __future__ import annotations


class ManifestError(Exception):
    """A manifest (go.mod, vendor.mod, modules.txt, go.sum) cannot be used.

    ``messages`` holds one ``file:line: message`` (or ``file:line:col: message``) string
    per problem, in file order; ``str(err)`` joins them with newlines, as Go prints them.
    """

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


class ModFileError(ManifestError):
    """go.mod / vendor.mod syntax or semantic errors."""


class ModulesTxtError(ManifestError):
    """vendor/modules.txt could not be read."""


class VendorInconsistent(ManifestError):
    """go.mod and vendor/modules.txt disagree (the go command's four checks)."""


class GoSumError(ManifestError):
    """go.sum / vendor.sum is malformed."""
