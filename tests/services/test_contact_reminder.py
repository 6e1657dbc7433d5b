"""The gentle due-for-a-call reminder names the people this child may call, never a parent the child
does not have (不歧视): one family per guardian type, and a child with nobody allowed to call."""

from __future__ import annotations

import uuid

import pytest

from db.enums import CardStatus, GuardianType, Relation
from db.models import Card, Child, Contact
from kiosk.platform.words import contact_reminder
from kiosk.services import signin
from tests.conftest import Room

F, M, T, G, R = (
    Relation.FATHER,
    Relation.MOTHER,
    Relation.TEMPORARY_GUARDIAN,
    Relation.GRANDPARENT,
    Relation.OTHER_RELATIVE,
)


def child_with(room: Room, guardian: GuardianType, family: list[tuple[Relation, bool]]) -> str:
    """A new child with these contacts (relation, allowed to call) and a card; returns the card."""
    uid = uuid.uuid4().hex[:8].upper()
    with room.uow:
        session = room.uow.session
        child = Child(id=uuid.uuid4(), name="测试", class_name="三年级(1)班", grade=3, birthday=None,
                      guardian_type=guardian, active=True)  # fmt: skip
        session.add(child)
        session.flush()
        for relation, allowed in family:
            session.add(Contact(child_id=child.id, relation=relation, name="联系人", phone="13800000000",
                                allowed_to_call=allowed))  # fmt: skip
        now = room.clock.now()
        session.add(Card(uid=uid, child_id=child.id, status=CardStatus.ACTIVE, registered_at=now))
        room.uow.commit()
    return uid


FAMILIES = [
    # 祖辈监护: both parents away, grandma at home is the temporary guardian
    (GuardianType.GRANDPARENTS, [(F, True), (M, True), (T, True)], "今天给爸爸、妈妈或临时监护人打个电话吧",
     "Why not call Dad, Mum or your temporary guardian today?"),
    # 父母单方监护: father away; mother at home is not on the call list
    (GuardianType.ONE_PARENT, [(F, True), (M, False)], "今天给爸爸打个电话吧", "Why not call Dad today?"),
    # 亲朋监护: an aunt looks after the child; the school lists only her and the mother
    (GuardianType.RELATIVES_FRIENDS, [(M, True), (R, True)], "今天给妈妈或亲戚打个电话吧",
     "Why not call Mum or your relatives today?"),
    # 单亲: a mother working away and the grandparents at home
    (GuardianType.SINGLE_PARENT_OR_ORPHAN, [(M, True), (G, True)], "今天给妈妈或爷爷奶奶打个电话吧",
     "Why not call Mum or your grandparents today?"),
    # 孤儿: in a relative's care, the only callee the temporary guardian
    (GuardianType.SINGLE_PARENT_OR_ORPHAN, [(T, True)], "今天给临时监护人打个电话吧",
     "Why not call your temporary guardian today?"),
]  # fmt: skip


@pytest.mark.parametrize(("guardian", "family", "zh", "en"), FAMILIES)
def test_the_reminder_names_only_whom_this_child_may_call(
    room: Room, guardian: GuardianType, family: list[tuple[Relation, bool]], zh: str, en: str
) -> None:
    result = signin.tap_card(room.uow, child_with(room, guardian, family))
    assert isinstance(result, signin.SignedIn) and result.contact_due
    assert zh in contact_reminder(result.remind_to_call, "zh_CN")
    assert en in contact_reminder(result.remind_to_call, "en")
    allowed = {relation for relation, ok in family if ok}
    for relation, word in ((F, "爸爸"), (M, "妈妈")):
        if relation not in allowed:
            assert word not in contact_reminder(result.remind_to_call, "zh_CN")


def test_a_child_with_nobody_allowed_to_call_gets_no_call_reminder(room: Room) -> None:
    card = child_with(room, GuardianType.SINGLE_PARENT_OR_ORPHAN, [(F, False)])
    result = signin.tap_card(room.uow, card)
    assert isinstance(result, signin.SignedIn)
    assert (result.contact_due, result.remind_to_call) == (False, ())
    assert contact_reminder(result.remind_to_call, "zh_CN") == ""
