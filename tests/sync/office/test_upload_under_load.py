"""A clerk uploads big rosters — a class's 登记表 with a photo of each child (5.5 MB), a whole county's
roster by mistake, a file whose sheet claims sixteen thousand columns, the whole school at once —
while the room's kiosk pushes and another user opens pages (issue 22): the
file is read outside any database transaction, streaming, so the kiosk's pushes and the pages go on
answering, nothing answers 500, and the server's memory stays bounded. The server's peak resident
memory is measured (its VmHWM, reset before the uploads) and printed.

Before this work a 147 KB XLSX held the database's write lock for 54 s and a 1 MB XLSX took the server
to 2.3 GB."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.sync.conftest import Central, Kiosk
from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.roster_pages import statuses, upload
from tests.sync.office.school_rosters import CLASSES, pupils, township_form, two_row_headings
from tests.sync.office.uploads import claiming_huge_dimension, county_roster, with_photos

pytestmark = pytest.mark.slow


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # Linux: VmHWM starts again from VmRSS


def test_big_uploads_while_a_kiosk_pushes_and_pages_open(
    server, central: Central, office_school: OfficeSchool, client, new_kiosk, capsys
) -> None:
    kiosk: Kiosk = new_kiosk()
    kiosk.enrol(server.url, central.code(office_school.ref))
    kiosk.sync()
    clerk, reader = client(office_school.admin), client(office_school.admin)
    with_faces = pupils(60, seed=12, classes=CLASSES)
    photographed = with_photos(township_form(with_faces), len(with_faces))  # 登记表（有照片）
    county = county_roster(6000)
    school = two_row_headings(pupils(3000, seed=13, rare=False, classes=CLASSES))
    assert len(photographed) > 5 * 1024 * 1024, len(photographed)

    pid = server.process.pid
    before = rss_mib(pid)
    reset_peak(pid)
    failures: list[str] = []
    results: dict[str, object] = {}
    done = threading.Event()

    def clerk_uploads() -> None:
        try:
            results["photos"] = upload(clerk, office_school, "有照片的登记表.xlsx", photographed)
            results["county"] = upload(clerk, office_school, "全县花名册.xlsx", county)
            results["wide"] = upload(clerk, office_school, "导出.xlsx", claiming_huge_dimension())
            results["school"] = upload(clerk, office_school, "全校花名册.xlsx", school)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(f"upload: {exc!r}")
        finally:
            done.set()

    pushes = pages = 0
    uploader = threading.Thread(target=clerk_uploads)
    started = time.monotonic()
    uploader.start()
    while not done.is_set():
        kiosk.room.tap(pushes % 30)  # a child signs in or out: one more event to push
        try:
            kiosk.sync()
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(f"push: {exc!r}")
        pushes += 1
        page = reader.get(f"{office_school.base}/children")
        if page.status != 200:
            failures.append(f"page: {page.status}")
        pages += 1
    uploader.join()
    elapsed = time.monotonic() - started
    peak = peak_rss_mib(pid)
    with capsys.disabled():
        print(
            f"\n[upload under load] roster with photos {len(photographed) / 1048576:.1f} MiB, county "
            f"{len(county) / 1048576:.1f} MiB, whole school {len(school) / 1048576:.2f} MiB; "
            f"{pushes} kiosk syncs and {pages} pages in {elapsed:.1f} s; "
            f"server RSS before {before:.0f} MiB, peak {peak:.0f} MiB (+{peak - before:.0f} MiB)"
        )
    assert failures == []
    assert pushes >= 3 and pages >= 3  # they were served while the files were read
    assert statuses(results["photos"]) == ["新增"] * len(with_faces)  # type: ignore[arg-type]
    assert "行数太多" in results["county"].text  # type: ignore[attr-defined]
    assert statuses(results["school"]) == ["新增"] * 3000  # type: ignore[arg-type]
    assert peak - before < 400, f"the server grew by {peak - before:.0f} MiB"
