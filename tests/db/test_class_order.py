"""Classes are read in order — 幼儿园 小/中/大班, 一年级(1)班 … 六年级(2)班, 初一 … 初三 — however a school
writes their names."""

from __future__ import annotations

import random

from db.class_order import class_key, in_class_order, number_of, school_grade

AS_READ = [
    "小班",
    "中班(1)",
    "中班（2）",
    "大班",
    "一年级(1)班",
    "一年级(2)班",
    "二年级(1)班",
    "二年级二班",
    "三年级(1)班",
    "三年级（2）班",
    "3年级3班",
    "三(4)班",
    "三年级(10)班",
    "四年级(1)班",
    "五年级(1)班",
    "六年级(1)班",
    "六年级(2)班",
    "初一(1)班",
    "七年级2班",
    "初二(1)班",
    "初三(1)班",
    "初三(2)班",
]


def test_a_school_from_kindergarten_to_junior_middle_reads_in_order_whatever_order_it_came_in() -> None:
    for seed in range(20):
        shuffled = AS_READ[:]
        random.Random(seed).shuffle(shuffled)
        assert in_class_order(shuffled) == AS_READ


def test_character_codes_would_put_grade_three_before_grade_two_and_four_last() -> None:
    grades = ["一年级(1)班", "二年级(1)班", "三年级(1)班", "四年级(1)班", "五年级(1)班", "六年级(1)班"]
    assert sorted(grades) != grades  # what the reports did: 一, 三, 二, 五, 六, 四
    assert in_class_order(sorted(grades)) == grades


def test_class_ten_comes_after_class_nine() -> None:
    assert in_class_order(["五年级(10)班", "五年级(9)班", "五年级(1)班"]) == [
        "五年级(1)班",
        "五年级(9)班",
        "五年级(10)班",
    ]


def test_a_class_with_a_name_of_its_own_sorts_by_the_grade_the_school_gave_it() -> None:
    names = ["四年级(1)班", "向日葵班", "三年级(1)班", "二年级(1)班"]
    assert in_class_order(names, {"向日葵班": 3}) == ["二年级(1)班", "三年级(1)班", "向日葵班", "四年级(1)班"]
    assert in_class_order(names)[-1] == "向日葵班"  # no grade known: after every class the rules can read


def test_chinese_and_arabic_numbers() -> None:
    spelt = ("1", "１２", "十", "十二", "二十一", "两", "三")
    assert [number_of(t) for t in spelt] == [1, 12, 10, 12, 21, 2, 3]
    assert number_of("甲") is None
    assert class_key("三年级十二班").number == 12


def test_the_school_year_a_name_says() -> None:
    assert [school_grade(n) for n in ("一年级(1)班", "六年级2班", "初一(1)班", "八年级1班", "高三(2)班")] == [
        1,
        6,
        7,
        8,
        12,
    ]
    assert school_grade("大班") is None and school_grade("向日葵班") is None
