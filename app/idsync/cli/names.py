"""The words of the command line that decide what runs, without argparse.

``idsync``, ``idsync FILE`` and ``idsync --self-test`` open the window: they are told
apart from a command before the parser is built (argparse and the parser's construction
would slow every window start). ``tests/cli/test_commands.py`` keeps ``COMMAND_NAMES``
equal to the parser's subcommands.
"""

from __future__ import annotations

from typing import Final

SELF_TEST: Final = "--self-test"

COMMAND_NAMES: Final = (
    "check", "export", "diff", "schema", "catalog", "rules", "preview", "history", "push",
    "sandbox", "install-desktop", "completion",
)
