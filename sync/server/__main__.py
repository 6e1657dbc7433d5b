"""`python -m sync.server serve | admin …` (see `sync.server.cli`)."""

from sync.server.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
