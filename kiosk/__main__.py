"""`python -m kiosk`: the kiosk's one entry point (see `kiosk.commands`)."""

from kiosk.commands.start import main

if __name__ == "__main__":
    raise SystemExit(main())
