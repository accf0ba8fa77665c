"""CLI commands: modfile (filled in by its layer)."""
