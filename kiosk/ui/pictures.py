"""Which picture shows what: equipment by its name, the people a child calls, the reasons, the choices.

A first-grader reads a handful of characters; she knows a basketball when she sees one. The pictures
are OpenMoji (CC BY-SA 4.0; kiosk/ui/assets/pictures/SOURCES.md lists each, scripts/make_pictures.py
makes them). Equipment is matched by the words in its catalogue title, because each school names its
own (篮球, 小篮球（5号）, 乒乓球拍（一副）): the first word found wins, so the longer names come first
(国际象棋 before 象棋). A title no word matches gets its kind's picture, never a wrong one.
"""

from __future__ import annotations

from pathlib import Path

from db.enums import CallKind, CallReason, ItemKind, Relation, ReturnCondition

FOLDER = Path(__file__).resolve().parent / "assets" / "pictures"

# (word in the title, picture); lower-case English words match English titles too.
EQUIPMENT_WORDS: tuple[tuple[str, str], ...] = (
    ("国际象棋", "chess"),
    ("象棋", "xiangqi"),
    ("军棋", "junqi"),
    ("陆战棋", "junqi"),
    ("跳棋", "checkers"),
    ("弹珠", "checkers"),
    ("围棋", "go"),
    ("五子棋", "go"),
    ("飞行棋", "flying_chess"),
    ("大富翁", "dice"),
    ("骰子", "dice"),
    ("篮球", "basketball"),
    ("足球", "football"),
    ("排球", "volleyball"),
    ("乒乓", "table_tennis"),
    ("羽毛球", "badminton"),
    ("网球", "tennis"),
    ("棒球", "baseball"),
    ("垒球", "baseball"),
    ("橄榄球", "rugby"),
    ("跳绳", "skipping_rope"),
    ("跳皮筋", "skipping_rope"),
    ("拔河", "skipping_rope"),
    ("毽", "shuttlecock"),
    ("风筝", "kite"),
    ("飞盘", "frisbee"),
    ("轮滑", "skates"),
    ("溜冰", "skates"),
    ("拼图", "jigsaw"),
    ("积木", "blocks"),
    ("口琴", "music"),
    ("竖笛", "music"),
    ("葫芦丝", "music"),
    ("乐器", "music"),
    ("蜡笔", "crayon"),
    ("画笔", "crayon"),
    ("水彩", "crayon"),
    ("chess", "chess"),
    ("basketball", "basketball"),
    ("football", "football"),
    ("soccer", "football"),
    ("volleyball", "volleyball"),
    ("table tennis", "table_tennis"),
    ("ping pong", "table_tennis"),
    ("badminton", "badminton"),
    ("skipping rope", "skipping_rope"),
    ("jump rope", "skipping_rope"),
    ("shuttlecock", "shuttlecock"),
    ("kite", "kite"),
)
KIND_PICTURES = {
    ItemKind.BOOK: "open_book",
    ItemKind.PERIODICAL: "newspaper",
    ItemKind.SPORTS: "medal",
    ItemKind.CHESS: "dice",
    ItemKind.OTHER: "package",
}
RELATION_PICTURES = {
    Relation.FATHER: "father",
    Relation.MOTHER: "mother",
    Relation.GRANDPARENT: "grandparents",
    Relation.TEMPORARY_GUARDIAN: "guardian",
    Relation.OTHER_RELATIVE: "relative",
}
REASON_PICTURES = {
    CallReason.MISS_FAMILY: "home",
    CallReason.SCHOOLWORK: "schoolwork",
    CallReason.HEALTH: "health",
    CallReason.BIRTHDAY: "birthday",
    CallReason.FESTIVAL: "festival",
    CallReason.OTHER: "talk",
}
CALL_KIND_PICTURES = {CallKind.PHONE: "telephone", CallKind.VIDEO: "video"}
CONDITION_PICTURES = {
    ReturnCondition.OK: "check",
    ReturnCondition.DAMAGED: "bandage",
    ReturnCondition.LOST: "question",
}
# The child's choices and the answers the screens give, by what they mean.
CHOICE_PICTURES = {
    "call": "telephone",
    "books": "books",
    "equipment": "play",
    "incoming": "incoming",
    "showing": "television",
    "letter": "letter",
    "sign_out": "wave",
    "signed_in": "check",
    "asking": "question",  # 要签退吗？ is a question: a check mark beside it would read as already done
    "stay": "jigsaw",  # "not leaving": something to go on doing here, not the check mark of a yes
    "no_reason": "telephone",
    "ask_teacher": "teacher",
    "queue": "ticket",
    "wait": "hourglass",
    "birthday": "birthday",
}


def picture(name: str) -> Path:
    return FOLDER / f"{name}.png"


def equipment_picture(title: str, kind: ItemKind) -> Path:
    lowered = title.lower()
    name = next((pic for word, pic in EQUIPMENT_WORDS if word in lowered), KIND_PICTURES[kind])
    return picture(name)


def relation_picture(relation: Relation) -> Path:
    return picture(RELATION_PICTURES[relation])


def reason_picture(reason: CallReason) -> Path:
    return picture(REASON_PICTURES[reason])


def call_kind_picture(kind: CallKind) -> Path:
    return picture(CALL_KIND_PICTURES[kind])


def condition_picture(condition: ReturnCondition) -> Path:
    return picture(CONDITION_PICTURES[condition])


def choice_picture(choice: str) -> Path:
    return picture(CHOICE_PICTURES[choice])


def every_picture_named() -> set[str]:
    """Every picture this module can hand out (the assets folder should hold exactly these)."""
    return (
        {pic for _, pic in EQUIPMENT_WORDS}
        | set(KIND_PICTURES.values())
        | set(RELATION_PICTURES.values())
        | set(REASON_PICTURES.values())
        | set(CALL_KIND_PICTURES.values())
        | set(CONDITION_PICTURES.values())
        | set(CHOICE_PICTURES.values())
    )
