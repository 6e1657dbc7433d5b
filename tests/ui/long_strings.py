"""The longest strings a real room has, put into the demo school before a screen is measured.

Names as rural registers hold them (an Uyghur name with its middle dot; parents' names as long), a
book title with its series and edition, equipment named the long way, and the rare characters of
names that are real in every county (王𠈌: CJK Extension B; 刘䶮: Extension A).
"""

from __future__ import annotations

from sqlalchemy import select, update

from db.enums import ItemKind
from db.models import CatalogueItem, Child, Contact, Copy
from tests.conftest import Room

LONG_NAME = "买买提江·阿不都热依木"
LONG_PARENT_NAMES = ("阿不都热依木·买买提", "阿依古丽·买买提江")
LONG_BOOK_TITLE = "安徒生童话全集：小学生必读经典（彩图注音版·第三册）"
LONG_EQUIPMENT_TITLE = "儿童专用加长款计数跳绳"
MARKUP_TITLE = "《[b]小王子》& [size=80]大[/size]"  # a title whose brackets Kivy would read as markup
RARE_NAMES = ("王𠈌", "刘䶮")


def rename_child(room: Room, n: int, name: str) -> None:
    with room.uow:
        room.uow.session.execute(update(Child).where(Child.id == room.child(n)).values(name=name))
        room.uow.commit()


def retitle(room: Room, barcode: str, title: str) -> None:
    with room.uow:
        session = room.uow.session
        item_id = session.scalar(select(Copy.item_id).where(Copy.barcode == barcode))
        session.execute(update(CatalogueItem).where(CatalogueItem.id == item_id).values(title=title))
        room.uow.commit()


def longest_real_strings(room: Room) -> None:
    """Child 0 and its callees get the long names, the first book the long title, the skipping rope
    the long name."""
    rename_child(room, 0, LONG_NAME)
    with room.uow:
        session = room.uow.session
        contacts = session.scalars(select(Contact).where(Contact.child_id == room.child(0))).all()
        for contact, name in zip(contacts, LONG_PARENT_NAMES, strict=False):
            contact.name = name
        session.execute(
            update(CatalogueItem).where(CatalogueItem.title == "跳绳").values(title=LONG_EQUIPMENT_TITLE)
        )
        room.uow.commit()
    [book] = room.barcodes(ItemKind.BOOK)
    retitle(room, book, LONG_BOOK_TITLE)
