"""The care network's part of the semester archive (学期末归档, 003:L277-279): the table per teacher,
each class's 留守儿童成长记录表 (a sheet per child), and the semester's 活动信息 — a list, and every
photo as a JPEG named by day and activity. Counselling is not in it: the archive is a download with
names, and counselling is never exported with a name."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from sync.server.models import CarePhoto, School
from sync.server.office.care import news
from sync.server.reports import care_table, growth
from sync.server.reports.basis import Basis
from sync.server.reports.table import Column, Kind, Report, Table
from sync.server.reports.xlsx import report_xlsx

ArchiveFile = tuple[str, bytes]


def care_files(basis: Basis, file_name: Callable[[str], str]) -> list[ArchiveFile]:
    """(path inside the archive, content); `file_name` makes a text safe as a file name."""
    t, locale = basis.t, basis.locale
    files: list[ArchiveFile] = [
        (f"{file_name(t('care.table.title'))}.xlsx", report_xlsx(care_table.build(basis), locale))
    ]
    folder = file_name(t("growth.title"))
    for report in growth.build_by_class(basis):
        class_name = report.title.rsplit(" · ", 1)[-1]
        files.append((f"{folder}/{file_name(class_name)}.xlsx", report_xlsx(report, locale)))
    files += news_files(basis.session, basis.school, basis, file_name)
    return files


def news_files(
    session: Session, school: School, basis: Basis, file_name: Callable[[str], str]
) -> list[ArchiveFile]:
    t = basis.t
    posts = list(reversed(news.posts_between(session, school.id, basis.period.start, basis.period.end)))
    photos = news.photos_of(session, [p.id for p in posts])
    folder = file_name(t("news.title"))
    table = Table(
        "news",
        t("news.title"),
        [
            Column(t("care.form.day"), Kind.DATE),
            Column(t("news.post_title")),
            Column(t("news.body")),
            Column(t("growth.photos"), Kind.INT),
        ],
        [[p.on_day, p.title, p.body, len(photos.get(p.id, []))] for p in posts],
    )
    report = Report(
        "news",
        t("news.title"),
        school.name,
        basis.period,
        basis.period.label(basis.locale),
        basis.now,
        [table],
    )
    files: list[ArchiveFile] = [(f"{folder}/{folder}.xlsx", report_xlsx(report, basis.locale))]
    for post in posts:
        for number, photo_id in enumerate(photos.get(post.id, []), start=1):
            photo = session.get(CarePhoto, photo_id)
            assert photo is not None
            name = file_name(f"{post.on_day.isoformat()}-{post.title}-{number}")
            files.append((f"{folder}/{name}.jpg", photo.jpeg))
    return files
