"""What a clerk does on the roster pages, over HTTP: upload a file, read the preview, map the headings
the office did not know, confirm with the form as the page fills it in (new classes ticked), and what
the office kept afterwards, compared with the school's file."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import select

from db.enums import GuardianType, Relation
from sync.server.models import CentralChild, CentralContact, Gender
from tests.sync.conftest import Central
from tests.sync.office.conftest import OfficeSchool
from tests.sync.office.officeclient import OfficeClient, Page
from tests.sync.office.school_rosters import GRANDPARENT_WORDS, Pupil


class _Forms(HTMLParser):
    """The fields each <form> would send as the page stands: inputs with their values (checkboxes
    only when ticked), selects with their selected option — those inside the form and those outside
    it that name it (form="…"), as a browser sends them. Forms are keyed by their action."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._by_id: dict[str, str] = {}
        self._outside: list[tuple[str, tuple[str, str]]] = []
        self._action: str | None = None
        self._select: tuple[str, str | None] | None = None
        self._first_option: str | None = None
        self._chosen: str | None = None

    def _add(self, owner: str | None, field: tuple[str, str]) -> None:
        if owner:
            self._outside.append((owner, field))
        elif self._action is not None:
            self.forms[self._action].append(field)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._action = found.get("action", "")
            self.forms[self._action] = []
            if found.get("id"):
                self._by_id[found["id"]] = self._action
        elif tag == "input" and found.get("name"):
            if found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            self._add(found.get("form"), (found["name"], found.get("value", "on")))
        elif tag == "select" and found.get("name"):
            self._select = (found["name"], found.get("form"))
            self._first_option, self._chosen = None, None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = found.get("value", "")
            if "selected" in found:
                self._chosen = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            value = self._chosen if self._chosen is not None else (self._first_option or "")
            self._add(self._select[1], (self._select[0], value))
            self._select = None
        elif tag == "form":
            self._action = None

    def close(self) -> None:
        super().close()
        for owner, field in self._outside:
            if owner in self._by_id:
                self.forms[self._by_id[owner]].append(field)


def form_fields(page: Page, action_ending: str) -> list[tuple[str, str]]:
    parser = _Forms()
    parser.feed(page.text)
    parser.close()
    found = [fields for action, fields in parser.forms.items() if action.endswith(action_ending)]
    assert found, f"no form ending {action_ending} on {page.url}"
    return [(name, value) for name, value in found[0] if name != "csrf_token"]


def upload(
    browser: OfficeClient, school: OfficeSchool, filename: str, content: bytes, class_name: str = ""
) -> Page:
    browser.get(f"{school.base}/roster")
    return browser.post(
        f"{school.base}/roster/preview",
        {"class_name": class_name, "effective": "2026-09-01"},
        files={"file": (filename, content)},
    )


def confirm(browser: OfficeClient, preview: Page, **changes: Any) -> Page:
    """确认导入 with the form as the page offers it (new classes ticked, their grades as guessed);
    `changes` replace fields (e.g. new_class=[…] to untick some)."""
    fields = [(n, v) for n, v in form_fields(preview, "/confirm") if n not in changes]
    for name, value in changes.items():
        fields += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return browser.post(preview.url.replace(browser.base, "") + "/confirm", fields)  # type: ignore[arg-type]


def statuses(page: Page) -> list[str]:
    return [row[1] for row in page.table("preview")[1:]]


def rows_by_name(page: Page) -> dict[str, list[str]]:
    """Preview lines by the child's name: [line, status, student no, name, class, reasons]."""
    return {row[3]: row for row in page.table("preview")[1:]}


@dataclass
class Kept:
    child: CentralChild
    contacts: list[CentralContact]

    def contact(self, relation: Relation) -> CentralContact | None:
        return next((c for c in self.contacts if c.relation is relation), None)


def kept_children(central: Central, school_id: uuid.UUID) -> dict[str, Kept]:
    with central.db.reads() as session:
        children = session.scalars(select(CentralChild).where(CentralChild.school_id == school_id)).all()
        return {
            c.name: Kept(
                c,
                list(session.scalars(select(CentralContact).where(CentralContact.child_id == c.id))),
            )
            for c in children
        }


def expected_guardian_type(pupil: Pupil) -> GuardianType:
    if pupil.relation in GRANDPARENT_WORDS:
        return GuardianType.GRANDPARENTS
    if pupil.relation in ("父亲", "母亲"):
        return GuardianType.ONE_PARENT
    return GuardianType.RELATIVES_FRIENDS


def assert_kept_as_written(
    kept: Kept, pupil: Pupil, *, home_parent_unable_known: bool = True, parent_names: bool = True
) -> None:
    """What the school wrote about the child is what the office holds; the ID number is not."""
    child = kept.child
    assert child.name == pupil.name
    assert child.birthday == pupil.birthday, (pupil.name, child.birthday)
    assert child.gender is (Gender.MALE if pupil.gender == "男" else Gender.FEMALE)
    assert child.class_name == pupil.class_name
    assert (child.father_away, child.mother_away) == {
        "both": (True, True),
        "father": (True, False),
        "mother": (False, True),
    }[pupil.away]
    wanted_unable = pupil.home_parent_unable if home_parent_unable_known else None
    assert child.home_parent_unable is wanted_unable, (pupil.name, child.home_parent_unable)
    assert child.guardian_type is expected_guardian_type(pupil), (pupil.name, pupil.relation)
    assert child.student_no is not None and child.student_no.endswith(pupil.id_number[-4:])
    assert pupil.id_number[:14] not in child.student_no
    father, mother = kept.contact(Relation.FATHER), kept.contact(Relation.MOTHER)
    assert father is not None and father.phone == pupil.father[1]
    assert mother is not None and mother.phone == pupil.mother[1]
    if parent_names:
        assert (father.name, mother.name) == (pupil.father[0], pupil.mother[0])
    others = [c for c in kept.contacts if c.relation not in (Relation.FATHER, Relation.MOTHER)]
    if pupil.relation in ("父亲", "母亲"):
        assert others == [], "the parent at home is the guardian, not a second contact"
        return
    assert len(others) == 1, [(c.relation, c.relation_word) for c in others]
    carer = others[0]
    grandparent = pupil.relation in GRANDPARENT_WORDS
    assert carer.relation is (Relation.GRANDPARENT if grandparent else Relation.OTHER_RELATIVE)
    assert carer.relation_word == pupil.relation
    assert (carer.name, carer.phone) == (pupil.guardian[0], pupil.guardian[2])
