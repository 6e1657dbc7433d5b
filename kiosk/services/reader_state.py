"""What the running kiosk's card readers report, kept beside its database for `python -m kiosk health`.

The readers belong to the touchscreen process (its reader hub); a technician's `health` over SSH is
another process that cannot ask them, and probing the hardware itself says nothing about a keyboard-
wedge reader, which is only heard through the kiosk's window. So the app writes its readers' states
here when they change (rarely: a reader connects, fails, or the keyboard reader types its first
code), with its process id; `health` reads them while that process lives and looks for itself when
it does not. Both then say the same thing the 状态 page says.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".readers.json"


@dataclass(frozen=True, slots=True)
class ReaderState:
    readers: dict[str, str]  # reader name -> "connected", "failing: …", "listening", "working" …
    live: bool  # the process that wrote it is still running


def reader_state_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def save_reader_state(db_path: Path, readers: dict[str, str], pid: int | None = None) -> None:
    """Replace the note atomically (a reader of it never sees half a file)."""
    path = reader_state_path(db_path)
    partial = path.with_name(path.name + ".part")
    partial.write_text(
        json.dumps({"pid": os.getpid() if pid is None else pid, "readers": readers}, ensure_ascii=False),
        encoding="utf-8",
    )
    os.replace(partial, path)


def load_reader_state(db_path: Path) -> ReaderState | None:
    """The last note, or None if there is none (or it cannot be read)."""
    try:
        note = json.loads(reader_state_path(db_path).read_text(encoding="utf-8"))
        readers = {str(name): str(state) for name, state in dict(note["readers"]).items()}
        pid = int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return ReaderState(readers, _running(pid))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user (the kiosk's own user, and we are over SSH)
        return True
    except OSError:
        return False
    return True
