"""A pty pair playing a USB-serial adapter with a card reader on it.

The kiosk opens `path`, a symlink like the stable `/dev/serial/by-id/...` names udev makes; the test
writes what the reader would send into the master side. `unplug()` hangs up the line and removes the
link, as pulling the adapter out removes its device node; `plug()` makes a new pty and points the link
at it, as plugging it back in does.
"""

from __future__ import annotations

import os
import tty
from pathlib import Path


class VirtualSerialLine:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._master: int | None = None
        self._slave: int | None = None
        self.plug()

    def plug(self) -> None:
        if self._master is not None:
            raise RuntimeError("already plugged in")
        master, slave = os.openpty()
        tty.setraw(slave)  # raw from the start, so nothing is echoed or cooked before pyserial opens it
        # Keep our slave fd open: the pty then survives the kiosk closing and reopening the port.
        self._master, self._slave = master, slave
        tmp = self.path.with_name(self.path.name + ".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.path)

    def unplug(self) -> None:
        self.path.unlink(missing_ok=True)
        for fd in (self._slave, self._master):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def write(self, data: bytes) -> None:
        """Bytes from the reader, all of them written before this returns."""
        if self._master is None:
            raise RuntimeError("unplugged")
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view) :]

    def close(self) -> None:
        self.unplug()
