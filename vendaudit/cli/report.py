"""CLI commands: report (filled in by its layer)."""
