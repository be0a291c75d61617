"""The one push engine: applies core plans to Segment for the window and the CLI (no Qt)."""
