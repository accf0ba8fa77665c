"""CLI commands: provides (filled in by its layer)."""
