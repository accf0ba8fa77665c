"""CLI commands: modules (filled in by its layer)."""
