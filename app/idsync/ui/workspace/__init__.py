"""The review workspace: a folder of configs in one table (File > Open Folder…)."""
