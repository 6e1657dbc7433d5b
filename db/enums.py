"""The room's vocabulary as enums, stored by value. Shared by the kiosk, the services and the sync wire."""

from __future__ import annotations

from enum import StrEnum


class GuardianType(StrEnum):
    """监护类型 as the schools' reports count them."""

    GRANDPARENTS = "grandparents"  # 祖辈监护
    ONE_PARENT = "one_parent"  # 父母单方监护
    RELATIVES_FRIENDS = "relatives_friends"  # 亲朋监护
    SINGLE_PARENT_OR_ORPHAN = "single_parent_or_orphan"  # 单亲或孤儿


class Relation(StrEnum):
    """Who a contact is to the child; the UI shows 爸爸 / 妈妈 / 临时监护人 …"""

    FATHER = "father"
    MOTHER = "mother"
    TEMPORARY_GUARDIAN = "temporary_guardian"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"


class StaffRole(StrEnum):
    ADMINISTRATOR = "administrator"  # 管理员
    DUTY_TEACHER = "duty_teacher"  # 值班老师


class CardStatus(StrEnum):
    ACTIVE = "active"
    LOST = "lost"
    RETIRED = "retired"


class VisitEnd(StrEnum):
    SIGNED_OUT = "signed_out"  # the child tapped out
    ROOM_CLOSED = "room_closed"  # the administrator closed the room with the child still signed in
    NOT_SIGNED_OUT = "not_signed_out"  # found open on a later day; how long they stayed is unknown


class CallKind(StrEnum):
    PHONE = "phone"  # 亲情电话
    VIDEO = "video"  # 视频通话


class CallDirection(StrEnum):
    OUTGOING = "outgoing"  # the child calls home from the room
    INCOMING = "incoming"  # a parent rings the 亲情热线; logged by staff


class LetterDirection(StrEnum):
    SENT = "sent"  # the child wrote home (写信)
    RECEIVED = "received"  # a letter from the parents arrived


class CallReason(StrEnum):
    """事由 as big preset buttons: children do not type."""

    MISS_FAMILY = "miss_family"
    SCHOOLWORK = "schoolwork"
    HEALTH = "health"
    BIRTHDAY = "birthday"
    FESTIVAL = "festival"
    OTHER = "other"


class CallEnd(StrEnum):
    HUNG_UP = "hung_up"
    TIME_LIMIT = "time_limit"
    CLOSED_BY_STAFF = "closed_by_staff"


class ItemKind(StrEnum):
    BOOK = "book"  # 图书
    PERIODICAL = "periodical"  # 报刊
    SPORTS = "sports"  # 体育器材
    CHESS = "chess"  # 棋类
    OTHER = "other"


class CopyStatus(StrEnum):
    """The shelf state of one physical copy; "on loan" is not a status, it is an open loan row."""

    IN_SERVICE = "in_service"
    DAMAGED = "damaged"
    LOST = "lost"
    WITHDRAWN = "withdrawn"


class ReturnCondition(StrEnum):
    OK = "ok"
    DAMAGED = "damaged"  # 损坏: compensated at price (照价赔偿)
    LOST = "lost"


class ContactCadence(StrEnum):
    """How often a school wants each child to talk to the parents (the rules differ by school)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def days(self) -> int:
        """The gap after which a child is due again: the kiosk's reminder and the office's overdue
        list must agree, so both read it here."""
        return {"weekly": 7, "biweekly": 14, "monthly": 30}[self.value]


class QueueExit(StrEnum):
    """Why a child's place in the phone queue ended."""

    CALLING = "calling"  # their turn came and the call started
    MISSED = "missed"  # called on the idle screen, but did not come in time
    GAVE_UP = "gave_up"  # the child took their place back
    SIGNED_OUT = "signed_out"  # left the room
    ROOM_CLOSED = "room_closed"
    VIDEO_INSTEAD = "video_instead"  # made a video call instead of waiting for the phone
    REMOVED = "removed"  # taken out of the queue by the duty teacher


class ShowingMedium(StrEnum):
    """电视、VCD放映: what the showing is played on."""

    TV = "tv"
    VCD = "vcd"


class DamageSettlement(StrEnum):
    """How a damage record was settled (损坏公物照价赔偿): the family paid the amount agreed, or the
    school let it go."""

    PAID = "paid"
    WAIVED = "waived"


class NotifyParty(StrEnum):
    """Who must be told of an emergency (突发事件), each within the school's own deadline."""

    SCHOOL_LEADERS = "school_leaders"  # 学校领导
    GUARDIAN = "guardian"  # 委托监护人
    PARENTS = "parents"  # 在外务工家长
    BUREAU = "bureau"  # 上级教育主管部门


class ChildMenuItem(StrEnum):
    """What a child's own screen offers; a school may offer less on some weekdays (周一 图书室 …)."""

    CALL = "call"
    BOOKS = "books"
    EQUIPMENT = "equipment"
