"""What the import pages (roster, catalogue) share: the uploaded file, read up to a limit, and the
staged import a preview, confirm or cancel address names — "gone" rather than "not found" when it was
confirmed, cancelled, went stale, or belongs to another school or another kind of import.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from sync.server.models import RosterImport
from sync.server.office.sheets import staging
from sync.server.web.context import OfficeError, SchoolViewer

MAX_UPLOAD = 12 * 1024 * 1024  # a class's 登记表 with a photo of each child runs to several MB


class UploadRefused(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def uploaded_file(form: FormData, name: str = "file") -> tuple[str, bytes]:
    """The file's name and bytes; UploadRefused("no_file" | "file_too_large") otherwise."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadRefused("no_file")
    content = await upload.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise UploadRefused("file_too_large")
    return upload.filename, content


def staged_import(current: SchoolViewer, session: Session, import_id: uuid.UUID, what: str) -> RosterImport:
    staged = staging.find(session, current.school.id, import_id, what)
    if staged is None:
        raise OfficeError(404, "import_gone")
    return staged
