"""活动信息: the school posts its activity news (title, day, text, photos that carry the school's and
the activity's name); everyone of the school and the county's bureau read it; the bureau sees per
school and month how many were posted against the target of two, and counselling as anonymous counts.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from sync.server.core.school_settings import SchoolSettings
from sync.server.models import ActivityPost, CarePhoto
from sync.server.office.accounts import access
from sync.server.office.accounts.access import Right
from sync.server.office.care import counselling, news
from sync.server.office.fields import FieldProblem, free_text
from sync.server.reports.period import PeriodError, month, parse_period
from sync.server.web.care_forms import uploaded_photos
from sync.server.web.context import CurrentViewer, ManagerForm, OfficeError, ReportReader, SchoolViewer
from sync.server.web.forms import value
from sync.server.web.pages.care import jpeg_response
from sync.server.web.pages.children import today_of
from sync.server.web.pages.county import _county_of
from sync.server.web.render import page

router = APIRouter()
MONTHS_SHOWN = 6


def _month(current_day: date, code: str):  # noqa: ANN202 - a Period
    if not code:
        return month(current_day.year, current_day.month)
    try:
        chosen = parse_period(code, SchoolSettings(), current_day)
    except PeriodError:
        raise OfficeError(400, "bad_period") from None
    if not chosen.code.startswith("month:"):
        raise OfficeError(400, "bad_period")
    return chosen


def recent_months(today: date, count: int = MONTHS_SHOWN) -> list:
    found, first = [], today.replace(day=1)
    for _ in range(count):
        found.append(month(first.year, first.month))
        first = (first - timedelta(days=1)).replace(day=1)
    return found


def _news_page(
    current: SchoolViewer, chosen_code: str, status: int = 200, problem: str = "", typed: dict | None = None
) -> Response:
    today = today_of(current)
    chosen = _month(today, chosen_code)
    months = recent_months(today)
    with current.reading() as session:
        posts = news.posts_between(session, current.school.id, chosen.start, chosen.end)
        photos = news.photos_of(session, [p.id for p in posts])
        counts = news.monthly_counts(session, [current.school.id], months[-1].start, months[0].end)
    return page(
        current,
        "news.html",
        status,
        posts=posts,
        photos=photos,
        months=[(m, counts[(current.school.id, m.code.removeprefix("month:"))]) for m in months],
        chosen=chosen,
        target=news.TARGET_PER_MONTH,
        today=today,
        problem=problem,
        typed=typed or {},
        may_post=current.can(Right.MANAGE),
    )


@router.get("/s/{school_id}/news")
def news_list(current: ReportReader, period: str = "") -> Response:
    return _news_page(current, period)


@router.post("/s/{school_id}/news")
def post_news(current: ManagerForm) -> Response:
    form, today = current.fields, today_of(current)
    title = news.clean_title(value(form, "title"))
    body = free_text(value(form, "body"))
    try:
        try:
            on_day = date.fromisoformat(value(form, "on_day")) if value(form, "on_day") else today
        except ValueError:
            raise FieldProblem("date_invalid") from None
        news.check(title, body, on_day, today)
        photos = uploaded_photos(form, caption=news.caption(current.school.name, title, on_day))
        with current.writing() as session:
            post = news.create_post(
                session,
                current.school.id,
                current.user.id,
                title=title,
                on_day=on_day,
                body=body,
                photos=photos,
            )
            current.audit(
                "news_posted",
                session=session,
                school_id=current.school.id,
                subject=f"post:{post.id}",
                photos=len(photos),
            )
    except FieldProblem as problem:
        typed = {k: v for k, v in dict(form).items() if isinstance(v, str)}
        return _news_page(current, "", 400, problem.code, typed)
    return RedirectResponse(f"/office/s/{current.school.id}/news/{post.id}", status_code=303)


@router.get("/s/{school_id}/news/{post_id}")
def news_post(post_id: uuid.UUID, current: ReportReader) -> Response:
    with current.reading() as session:
        post = current.owned(session, ActivityPost, post_id)
        photos = news.photos_of(session, [post.id]).get(post.id, [])
    return page(current, "news_post.html", post=post, photos=photos)


@router.get("/s/{school_id}/news/photos/{photo_id}")
def news_photo(photo_id: uuid.UUID, current: ReportReader) -> Response:
    with current.reading() as session:
        stored = current.owned(session, CarePhoto, photo_id)
        if stored.post_id is None:
            raise OfficeError(404, "not_found")  # a home visit's photo is never news
        return jpeg_response(stored.jpeg)


@router.get("/county/care")
def county_care(current: CurrentViewer) -> Response:
    """Per school and month: activity news against the target of two, counselling as anonymous counts."""
    county = _county_of(current)
    today = current.now().astimezone(SchoolSettings().zone).date()
    months = recent_months(today)
    with current.reading() as session:
        schools = access.schools_of(session, current.user)
        ids = [s.id for s in schools]
        posts = news.monthly_counts(session, ids, months[-1].start, months[0].end)
        sessions_held = counselling.monthly_counts(session, ids, months[-1].start, months[0].end)
    keys = [m.code.removeprefix("month:") for m in months]
    return page(
        current,
        "county_care.html",
        county=county,
        schools=schools,
        months=months,
        keys=keys,
        posts=posts,
        sessions_held=sessions_held,
        target=news.TARGET_PER_MONTH,
    )
