import sys

from app.cli import run

# Guarded: worker processes started fresh (spawn) import this module again.
if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        # In a frozen build, a worker of `idsync check` starts as this program: let it be
        # one. Imported only there: multiprocessing costs every other start 5 ms.
        multiprocessing.freeze_support()
    run()
