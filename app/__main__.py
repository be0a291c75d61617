from app.cli import main

# Guarded: worker processes started fresh (spawn) import this module again.
if __name__ == "__main__":
    raise SystemExit(main())
