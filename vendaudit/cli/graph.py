"""CLI commands: graph (filled in by its layer)."""
