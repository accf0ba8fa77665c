"""vendaudit: audit a Go project's vendored modules against distro packages."""

__version__ = "0.1.0"
