"""Offline review, headless: documents checked with their lines, SARIF and GitHub
annotations, the HTML report, and comparisons (files, history versions, live connections).

No Qt: the CLI and the window's review workspace both use it.
"""
