import sys

from idsync.cli import run

# Guarded: worker processes started fresh (spawn) import this module again.
if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        # In a frozen build, a worker of `idsync check` starts as this program: let it be
        # one. Imported only there: multiprocessing slows every other start.
        multiprocessing.freeze_support()
    run()
