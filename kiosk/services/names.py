"""How a child is named on the public screen: the given name only (明明, not 王明明).

The idle screen calls the next child to the phone by number and given name, so the child knows it is
them, while a passer-by learns as little as possible (不歧视: nothing about who has or has not called
home is ever shown there).
"""

from __future__ import annotations

# Two-character surnames (复姓) common enough to meet in a school roster.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "令狐",
        "夏侯",
        "宇文",
        "司徒",
        "端木",
        "独孤",
    }
)


# Uyghur, Kazakh and other names written in 汉字 put the person's own name first, then the father's,
# joined by a middle dot (买买提江·阿不都热依木): the given name is the part before it.
NAME_DOTS = ("·", "•", "・", "．")


def given_name(full_name: str) -> str:
    """王明明 → 明明, 欧阳娜娜 → 娜娜, 李明 → 明, 买买提江·阿不都热依木 → 买买提江; a name in Latin
    letters → its first word."""
    name = full_name.strip()
    for dot in NAME_DOTS:
        if dot in name and name.split(dot)[0]:
            return name.split(dot)[0]
    if " " in name:
        return name.split()[0]
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[2:]
    return name[1:] if len(name) >= 2 else name
