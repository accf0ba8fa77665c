"""CLI commands: diff (filled in by its layer)."""
