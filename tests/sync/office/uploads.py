"""Uploads a careless or hostile sender makes, for the upload-hardening tests: an XLSX whose XML declares
entities (the "billion laughs"), one whose sheet claims to be a million rows by sixteen thousand
columns wide, one row of tens of thousands of cells, CSV with a field over 128 KB, and a whole
county's roster of several megabytes — each built the way such a file really is (the XLSX parts
rewritten inside the zip), so the server reads the bytes an attacker would send."""

from __future__ import annotations

import io
import random
import re
import zipfile

from openpyxl import Workbook

from tests.sync.office.school_rosters import Pupil, pupils

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)


def small_roster() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["学号", "姓名", "班级", "监护类型", "外出情况"])
    sheet.append(["S001", "李明", "三年级(1)班", "祖辈监护", "父母均外出"])
    buffer = io.BytesIO()
    book.save(buffer)
    return with_shared_strings(buffer.getvalue())


_INLINE = re.compile(r'<c r="([A-Z]+\d+)"([^>]*) t="inlineStr"><is><t>([^<]*)</t></is></c>')
_SST = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(content: bytes) -> bytes:
    """The workbook as Excel saves it: text in xl/sharedStrings.xml, cells pointing at it by number
    (openpyxl writes text into the cells instead)."""
    strings: list[str] = []

    def to_shared(xml: str) -> str:
        def cell(found: re.Match[str]) -> str:
            strings.append(found.group(3))
            return f'<c r="{found.group(1)}"{found.group(2)} t="s"><v>{len(strings) - 1}</v></c>'

        return _INLINE.sub(cell, xml)

    sheets = [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if n.startswith("xl/worksheets/")]
    content = rewrite_parts(content, dict.fromkeys(sheets, to_shared))
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="{_SST}" count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
    )
    content = rewrite_parts(
        content,
        {
            "[Content_Types].xml": lambda xml: xml.replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                "</Relationships>",
                f'<Relationship Id="rIdStrings" Type="{_REL}" Target="sharedStrings.xml"/></Relationships>',
            ),
        },
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def rewrite_parts(content: bytes, change: dict[str, object]) -> bytes:
    """The XLSX with some of its parts' XML changed by functions (text -> text)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in change:
                data = change[item.filename](data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(item.filename, data)
    return out.getvalue()


def _after_declaration(xml: str, insert: str) -> str:
    end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    return xml[:end] + insert + xml[end:]


def with_entities(part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Entity declarations in one part, and an entity used in a cell so a parser that expands them
    would blow up; the rest of the file is a good roster."""

    def change(xml: str) -> str:
        xml = _after_declaration(xml, LAUGHS)
        return xml.replace("李明", "&lol9;", 1) if "李明" in xml else xml

    return rewrite_parts(small_roster(), {part: change})


def claiming_huge_dimension() -> bytes:
    """A small sheet whose <dimension> says A1:XFD1048576, as some exporters write it: a reader that
    believes it pads every row to 16,384 cells."""
    return rewrite_parts(
        small_roster(),
        {
            "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml
            )
        },
    )


def one_wide_row(cells: int = 60_000) -> bytes:
    """A heading row followed by one row of `cells` cells."""

    def change(xml: str) -> str:
        wide = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(cells))
        return xml.replace("</sheetData>", f'<row r="3">{wide}</row></sheetData>')

    return rewrite_parts(small_roster(), {"xl/worksheets/sheet1.xml": change})


def csv_with_a_long_field(size: int = 200 * 1024) -> bytes:
    return (
        "学号,姓名,班级,监护类型,外出情况,备注\r\n"
        + f"S1,李明,三年级(1)班,祖辈监护,父母均外出,{'长' * size}\r\n"
    ).encode("utf-8")


def county_roster(rows: int) -> bytes:
    """A whole county's roster in one sheet, as a bureau keeps it: every school's classes, a 家庭情况
    note of a few sentences per child. Several megabytes, far more rows than one school's import."""
    made: list[Pupil] = pupils(400, seed=77, rare=False)
    rng = random.Random(77)
    villages = [a + b + "村" for a in "东西南北上下前后新老" for b in "河山湾岭坪沟庄寨坝塘"]
    cities = ("浙江宁波", "广东东莞", "江苏苏州", "福建晋江", "上海松江", "新疆石河子", "北京大兴")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("全县")
    sheet.append(["全县农村留守儿童花名册"])
    sheet.append(
        ["学校", "学籍号", "姓名", "性别", "出生日期", "班级", "留守类型", "监护人", "关系", "家庭情况"]
    )
    for index in range(rows):
        child = made[index % len(made)]
        note = (
            f"住{rng.choice(villages)}{rng.randrange(1, 12)}组，父母在{rng.choice(cities)}打工，"
            f"{rng.choice(('每年春节回家', '两年没有回家', '农忙时回来'))}，平时由{child.relation}照看，"
            f"父亲电话{child.father[1][:3]}{rng.randrange(10**7, 10**8)}，家有{rng.randrange(1, 9)}亩地。"
        )
        sheet.append(
            [
                f"第{index // 400 + 1}小学", f"G{child.id_number[:-4]}{rng.randrange(10**4):04d}", child.name,
                child.gender, child.birthday.isoformat(), child.class_name, child.away_words,
                child.guardian[0], child.relation, note,
            ]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_DRAWING_NS = (
    'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


def with_photos(content: bytes, photos: int, photo_bytes: int = 90 * 1024, column: int = 0) -> bytes:
    """The roster with a photo beside each child, as 留守儿童登记表（有照片） are kept: JPEG files in
    xl/media, anchored in the first sheet's `column` from the first data row down. A photo is already
    compressed, so the file grows by its size."""
    rng = random.Random(photos)
    anchors, rels = [], []
    for index in range(1, photos + 1):
        anchors.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>{column}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{index + 2}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            '<xdr:ext cx="720000" cy="960000"/><xdr:pic><xdr:nvPicPr>'
            f'<xdr:cNvPr id="{index + 1}" name="照片{index}"/><xdr:cNvPicPr/></xdr:nvPicPr>'
            f'<xdr:blipFill><a:blip r:embed="rIdPhoto{index}"/><a:stretch><a:fillRect/></a:stretch>'
            '</xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
            "</xdr:pic><xdr:clientData/></xdr:oneCellAnchor>"
        )
        rels.append(
            f'<Relationship Id="rIdPhoto{index}" Type="{_IMAGE_REL}" Target="../media/photo{index}.jpeg"/>'
        )
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    relationships = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    drawing = f"{declaration}<xdr:wsDr {_DRAWING_NS}>{''.join(anchors)}</xdr:wsDr>"
    drawing_rels = f"{declaration}{relationships}{''.join(rels)}</Relationships>"
    sheet_rels = (
        f"{declaration}{relationships}"
        f'<Relationship Id="rIdDrawing" Type="{_DRAWING_REL}" Target="../drawings/drawing1.xml"/>'
        "</Relationships>"
    )

    def sheet(xml: str) -> str:
        if "xmlns:r=" not in xml.split(">", 1)[0]:
            xml = xml.replace(
                "<worksheet ",
                '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
                1,
            )
        return xml.replace("</worksheet>", '<drawing r:id="rIdDrawing"/></worksheet>')

    def types(xml: str) -> str:
        return xml.replace(
            "</Types>",
            '<Default Extension="jpeg" ContentType="image/jpeg"/>'
            '<Override PartName="/xl/drawings/drawing1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
        )

    content = rewrite_parts(content, {"xl/worksheets/sheet1.xml": sheet, "[Content_Types].xml": types})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr("xl/worksheets/_rels/sheet1.xml.rels", sheet_rels)
        target.writestr("xl/drawings/drawing1.xml", drawing)
        target.writestr("xl/drawings/_rels/drawing1.xml.rels", drawing_rels)
        for index in range(1, photos + 1):
            jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(photo_bytes) + b"\xff\xd9"
            target.writestr(f"xl/media/photo{index}.jpeg", jpeg, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()
