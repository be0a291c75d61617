"""Helpers shared by test packages (state files, damaged files, child processes)."""
