"""The kiosk's side of sync: enrol once, then push the outbox and pull the school's changes.

`SyncClient` does one sync at a time and records how it went; `SyncWorker` runs it on a background
thread with back-off; `read_status` is what the UI's badge and admin screen call.
"""

from sync.client.client import NotEnrolled, SyncClient, SyncReport, read_status
from sync.client.worker import SyncWorker

__all__ = ["NotEnrolled", "SyncClient", "SyncReport", "SyncWorker", "read_status"]
