"""Document specifications: metadata fields (ground truth) and the body text writer of each layout family."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from lakehouse_sample.agencies import Agency
from lakehouse_sample.texts import (
    DOC_TYPES,
    RECIPIENTS_GENERIC,
    RECIPIENTS_PARTY,
    RECIPIENTS_STATE,
    SENTENCES,
    SUBJECT_BY_TYPE,
    TOPICS,
)
from lakehouse_sample.util import dmy_short, long_date, person_name, upper_vi


@dataclass
class Doc:
    document_id: str
    record_code: str
    order_in_record: int
    type_code: str
    type_name: str
    type_abbr: str
    family: str
    style: str  # nd30 | hd36 | doan
    number: int
    symbol: str
    number_line: str
    issuer_abbr: str
    date: date
    date_line: str
    place: str
    issuer: str
    issuer_parent: str
    header_parent: str
    header_name: list[str]
    subject: str
    signer: str
    signer_title: str
    authority_prefix: str
    authority_line: str  # e.g. "TM. ỦY BAN NHÂN DÂN" or "" when the title stands alone
    recipients: list[str]
    addressee: str  # "Kính gửi: ..." ("" when none)
    secrecy: str  # "" | "Mật"
    urgency: str  # "" | "Khẩn" | "Thượng khẩn" | "Hỏa tốc"
    has_personal_data: bool
    persons: list[dict]
    target_pages: int
    topic: str
    keywords: str
    seed_key: str
    secretary: str = ""
    page_count: int = 0
    extra: dict = field(default_factory=dict)

    def ground_truth(self) -> dict:
        return {
            "document_id": self.document_id,
            "record_code": self.record_code,
            "order_in_record": self.order_in_record,
            "type_name": self.type_name,
            "type_abbr": self.type_abbr,
            "number": self.number,
            "symbol": self.symbol,
            "number_line": self.number_line,
            "issuer_abbr": self.issuer_abbr,
            "date": self.date.isoformat(),
            "date_line": self.date_line,
            "place": self.place,
            "issuer": self.issuer,
            "issuer_parent": self.issuer_parent,
            "subject": self.subject,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "authority_prefix": self.authority_prefix,
            "authority_line": self.authority_line,
            "recipients": self.recipients,
            "addressee": self.addressee,
            "secrecy": self.secrecy,
            "urgency": self.urgency,
            "has_personal_data": self.has_personal_data,
            "persons": self.persons,
            "layout_style": self.style,
            "family": self.family,
            "page_count": self.page_count,
            "topic": self.topic,
            "keywords": self.keywords,
        }


def agency_group(agency: Agency) -> str:
    if agency.kind in ("party", "ubnd", "hdnd", "phong"):
        return agency.kind
    return "mass"


def style_of(agency: Agency) -> str:
    if agency.kind == "party":
        return "hd36"
    if agency.kind == "doan":
        return "doan"
    return "nd30"


def date_line(place: str, d: date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:  # official: day < 10 and months 1-2 padded
        day, month = f"{d.day:02d}", (f"{d.month:02d}" if d.month < 3 else str(d.month))
    elif r < 0.65:
        day, month = f"{d.day:02d}", f"{d.month:02d}"
    else:
        day, month = str(d.day), str(d.month)
    sep = "" if rng.random() < 0.06 else " "
    return f"{place}, ngày {day}{sep}tháng {month} năm {d.year}"


def _signature(agency: Agency, type_code: str, rng: random.Random) -> tuple[str, str, str]:
    """(authority prefix, authority line, title)."""
    k = agency.kind
    r = rng.random()
    if k == "party":
        body = "BAN THƯỜNG VỤ" if agency.level == "huyen" else "ĐẢNG ỦY"
        if type_code == "NQ" and agency.level == "huyen":
            body = "HUYỆN ỦY" if agency.unit == "HU" else ("QUẬN ỦY" if agency.unit == "QU" else "THỊ ỦY")
        if r < 0.6:
            return "T/M", f"T/M {body}", "BÍ THƯ"
        if r < 0.9:
            return "K/T", "K/T BÍ THƯ", "PHÓ BÍ THƯ"
        return "T/L", "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG" if agency.level == "huyen" else "VĂN PHÒNG"
    if k == "ubnd":
        if type_code in ("CV", "TB", "GM", "GGT") and agency.level == "huyen" and r < 0.35:
            return (
                ("TL.", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
                if r < 0.25
                else ("TUQ.", "TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
            )
        if type_code == "QĐ" and r < 0.3:
            return "", "", "CHỦ TỊCH"
        return _tm_or_kt(r, 0.55, "ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    if k == "hdnd":
        if type_code == "NQ":
            return "", "", "CHỦ TỊCH"
        return _tm_or_kt(r, 0.6, "THƯỜNG TRỰC HĐND", "CHỦ TỊCH")
    if k == "phong":
        if r < 0.55:
            return "", "", "TRƯỞNG PHÒNG"
        if r < 0.9:
            return "KT.", "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"
        return "Q.", "", "Q. TRƯỞNG PHÒNG"
    if k == "doan":
        return _tm_or_kt(r, 0.65, "BAN THƯỜNG VỤ", "BÍ THƯ")
    if k == "mttq":
        return _tm_or_kt(r, 0.65, "BAN THƯỜNG TRỰC", "CHỦ TỊCH")
    return _tm_or_kt(r, 0.65, "BAN THƯỜNG VỤ", "CHỦ TỊCH")


def _tm_or_kt(r: float, tm_share: float, body: str, head: str) -> tuple[str, str, str]:
    """TM. (on behalf of) `body`, signed by its `head`, when r < tm_share; else KT. (for) the head, signed by
    the deputy (PHÓ)."""
    if r < tm_share:
        return "TM.", f"TM. {body}", head
    return "KT.", f"KT. {head}", f"PHÓ {head}"


class Numbering:
    """Document numbers counted from 1 each year per issuer, growing through the year."""

    def __init__(self) -> None:
        self.used: dict[tuple[str, int], set[int]] = {}

    def take(self, agency: Agency, d: date, rng: random.Random) -> int:
        rate = {"ubnd": 2.2, "party": 0.9, "hdnd": 0.3, "phong": 0.8}.get(agency.kind, 0.4)
        if agency.level == "xa":
            rate /= 2
        n = max(1, int(d.timetuple().tm_yday * rate * rng.uniform(0.85, 1.15)))
        used = self.used.setdefault((agency.agency_code, d.year), set())
        while n in used:
            n += 1
        used.add(n)
        return n


def leader_name(seed: int, agency: Agency, title: str, year: int) -> str:
    rng = random.Random(f"{seed}|leader|{agency.agency_code}|{title}|{year // 5}")
    return person_name(rng)[0]


def personal_record(rng: random.Random, agency: Agency, d: date) -> dict:
    name, female = person_name(rng)
    born = date(rng.randint(1940, min(d.year - 18, 2000)), rng.randint(1, 12), rng.randint(1, 28))
    if d.year >= 2016:
        century = 0 if born.year < 2000 else 2
        ident = f"001{century + (1 if female else 0)}{born.year % 100:02d}{rng.randint(0, 999999):06d}"
        id_kind = "CCCD"
    else:
        ident = f"01{rng.randint(0, 9999999):07d}"
        id_kind = "CMND"
    hamlet = rng.choice(["Thôn", "Tổ dân phố", "Xóm"]) + f" {rng.randint(1, 12)}"
    where = agency.commune_name or f"{agency.district_name}"
    return {
        "name": name,
        "female": female,
        "honorific": "bà" if female else "ông",
        "birth_date": born.isoformat(),
        "id_kind": id_kind,
        "id_number": ident,
        "address": f"{hamlet}, {where}, Thành phố Hà Nội",
    }


def make_doc(
    *,
    seed: int,
    agency: Agency,
    record_code: str,
    order: int,
    doc_date: date,
    type_code: str,
    topic_idx: int,
    target_pages: int,
    numbering: Numbering,
    rng: random.Random,
    personal: bool = False,
    period: str = "",
) -> Doc:
    type_name, abbr, family, _ = DOC_TYPES[type_code]
    style = style_of(agency)
    topic, keywords, _, _ = TOPICS[topic_idx]
    number = numbering.take(agency, doc_date, rng)
    issuer_abbr = agency.abbr
    if type_code == "CV":
        if style in ("hd36", "doan"):
            symbol = f"{number}-CV/{issuer_abbr}"
            abbr = "CV"
        elif agency.kind == "ubnd" and agency.level == "huyen":
            symbol = f"{number}/{issuer_abbr}-{rng.choice(['VP', 'TCKH', 'NV', 'TP', 'TNMT', 'LĐTBXH'])}"
        else:
            symbol = f"{number}/{issuer_abbr}"
    elif style in ("hd36", "doan"):
        symbol = f"{number}-{abbr}/{issuer_abbr}"
    else:
        symbol = f"{number}/{abbr}-{issuer_abbr}"
    number_line = f"Số {symbol}" if style == "hd36" else f"Số: {symbol}"
    persons: list[dict] = []
    year = doc_date.year
    fill = {"topic": topic, "period": period or f"năm {year}", "year": year, "year5": year + 5}
    if personal:
        p = personal_record(rng, agency, doc_date)
        persons.append(p)
        if type_code == "GCN":
            subject = "Đăng ký hộ kinh doanh"
        else:
            subject = rng.choice(
                [
                    f"Về việc cấp Giấy phép xây dựng cho hộ {p['honorific']} {p['name']}",
                    f"Về việc trợ cấp xã hội hằng tháng đối với {p['honorific']} {p['name']}",
                    f"Về việc công nhận hòa giải viên đối với {p['honorific']} {p['name']}",
                ]
            )
    else:
        subject = (
            rng.choice(SUBJECT_BY_TYPE[type_code]).format(**fill) if type_code in SUBJECT_BY_TYPE else ""
        )
        subject = subject[:1].upper() + subject[1:]
    prefix, authority_line, title = _signature(agency, type_code, rng)
    signer = leader_name(seed, agency, title.removeprefix("Q. "), year)
    issuer = (
        " ".join(agency.header_name)
        if not agency.header_parent or agency.kind != "mttq"
        else f"{agency.header_parent} {agency.header_name[0]}"
    )
    issuer_parent = agency.header_parent if agency.kind != "mttq" else ""
    if agency.kind == "party":
        recipients = list(RECIPIENTS_PARTY)
    elif family == "decision" and agency.kind in ("ubnd", "hdnd"):
        recipients = [
            r.replace("xã, thị trấn", "phường" if agency.district_name.startswith("Quận") else "xã, thị trấn")
            for r in RECIPIENTS_STATE
        ]
        if agency.level == "xa":
            recipients = ["Như Điều 3;", "Thường trực Đảng ủy;", "Thường trực HĐND;", "Lưu: VT."]
    else:
        recipients = [
            r.format(party="Đảng ủy" if agency.level == "xa" else "Huyện ủy", unit_short=_unit_short(agency))
            for r in RECIPIENTS_GENERIC
        ]
    k = rng.randint(3, len(recipients))
    recipients = [*recipients[: k - 1], recipients[-1]]
    addressee = ""
    if family in ("proposal", "letter", "invitation"):
        if agency.level == "huyen":
            addressee = rng.choice(
                [
                    "Ủy ban nhân dân Thành phố Hà Nội",
                    "Thường trực Huyện ủy",
                    "Các phòng, ban, ngành, đoàn thể",
                    "Ủy ban nhân dân các xã, thị trấn",
                ]
            )
            if agency.district_name.startswith("Quận"):
                addressee = addressee.replace("Huyện ủy", "Quận ủy").replace("các xã, thị trấn", "các phường")
        else:
            addressee = rng.choice(
                [
                    f"Ủy ban nhân dân {agency.district_name.lower()}",
                    "Các ban, ngành, đoàn thể",
                    "Trưởng các thôn, tổ dân phố",
                ]
            )
        if family == "proposal":
            addressee = (
                rng.choice(["Ủy ban nhân dân Thành phố Hà Nội", "Thường trực Hội đồng nhân dân"])
                if agency.kind == "ubnd"
                else f"Ủy ban nhân dân {agency.district_name.lower()}"
            )
    secrecy = (
        "Mật"
        if (not personal and family in ("decision", "report", "notice", "plan") and rng.random() < 0.06)
        else ""
    )
    urgency = ""
    if not personal and family in ("letter", "notice", "invitation") and rng.random() < 0.15:
        urgency = rng.choice(["Khẩn", "Khẩn", "Hỏa tốc", "Thượng khẩn"])
    if type_code == "CĐ" and not urgency:
        urgency = "Hỏa tốc"
    doc = Doc(
        document_id=f"{record_code}.{order:03d}",
        record_code=record_code,
        order_in_record=order,
        type_code=type_code,
        type_name=type_name,
        type_abbr=abbr,
        family=family,
        style=style,
        number=number,
        symbol=symbol,
        number_line=number_line,
        issuer_abbr=issuer_abbr,
        date=doc_date,
        date_line=date_line(agency.place, doc_date, rng),
        place=agency.place,
        issuer=issuer,
        issuer_parent=issuer_parent,
        header_parent=agency.header_parent,
        header_name=agency.header_name,
        subject=subject,
        signer=signer,
        signer_title=title,
        authority_prefix=prefix,
        authority_line=authority_line,
        recipients=recipients if family not in ("minutes", "regulation", "certificate") else [],
        addressee=addressee,
        secrecy=secrecy,
        urgency=urgency,
        has_personal_data=personal,
        persons=persons,
        target_pages=target_pages,
        topic=topic,
        keywords=keywords,
        seed_key=f"{seed}|{record_code}|{order}",
    )
    if family == "minutes":
        doc.secretary = person_name(rng)[0]
    return doc


def _unit_short(agency: Agency) -> str:
    return {
        "ubnd": "UBND",
        "hdnd": "Thường trực HĐND",
        "party": "Văn phòng Đảng ủy" if agency.level == "xa" else "Văn phòng",
        "phong": agency.agency_name.split(" huyện")[0].split(" quận")[0].split(" thị xã")[0],
    }.get(agency.kind, "Ban Thường vụ") + (
        ""
        if agency.kind == "phong"
        else (
            f" {agency.district_name.lower()}"
            if agency.level == "huyen"
            else f" {agency.commune_name.lower()}"
        )
    )


class BodyWriter:
    """Produces the body paragraphs of one document: ``pre()`` then ``fill()`` (lazily) then ``final()``.

    A paragraph is ``(style, text)`` with style in: para, para_i, heading, center_bold, center_i, item, field.
    """

    def __init__(self, doc: Doc, agency: Agency, rng: random.Random) -> None:
        self.doc, self.agency, self.rng = doc, agency, rng
        self.article = 0
        self.point = 0
        self.section = 0
        self.stage = 0
        self.unused: dict[str, list[str]] = {}
        d = doc.date
        is_quan = agency.district_name.startswith("Quận")
        unit = agency.agency_name
        self.vars = {
            "topic": doc.topic,
            "period": f"năm {d.year}",
            "unit": unit,
            "unit_short": _unit_short(agency),
            "subunits": ("các phường" if is_quan else "các xã, thị trấn")
            if agency.level == "huyen"
            else "các thôn, tổ dân phố",
            "head": "Chủ tịch UBND" if agency.block == "chinh_quyen" else "Ban Thường vụ",
            "superior": "Thành ủy, UBND Thành phố Hà Nội"
            if agency.level == "huyen"
            else f"cấp ủy, chính quyền {agency.district_name.lower()}",
        }

    # -- sentence helpers ---------------------------------------------------------------------
    def s(self, group: str, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        d = self.doc.date
        later = d + timedelta(days=rng.randint(10, 60))
        earlier = d - timedelta(days=rng.randint(5, 90))
        v = dict(
            self.vars,
            date=dmy_short(later),
            date_long=long_date(earlier),
            pct=rng.randint(82, 99),
            pct2=rng.randint(2, 15),
            n=rng.randint(3, 12),
            n2=rng.randint(150, 2400),
            n3=rng.randint(13, 30),
            money=f"{rng.randint(120, 9800):,}.000.000".replace(",", "."),
        )
        if rng is not self.rng:
            text = rng.choice(SENTENCES[group]).format(**v)
        else:
            pool = self.unused.get(group) or list(SENTENCES[group])
            text = pool.pop(rng.randrange(len(pool))).format(**v)
            self.unused[group] = pool
        return text[:1].upper() + text[1:]

    def para(self, group: str, k: int | None = None) -> tuple[str, list[str]]:
        k = k or self.rng.randint(1, 3)
        return "para", [self.s(group) for _ in range(k)]

    def ref_doc(self) -> str:
        rng = self.rng
        d = self.doc.date - timedelta(days=rng.randint(15, 200))
        if self.agency.block == "dang":
            return f"Kế hoạch số {rng.randint(10, 250)}-KH/TU ngày {dmy_short(d)} của Thành ủy Hà Nội"
        return f"Kế hoạch số {rng.randint(10, 400)}/KH-UBND ngày {dmy_short(d)} của UBND Thành phố Hà Nội"

    def bases(self) -> list[str]:
        y = self.doc.date.year
        if self.agency.block == "dang":
            return [
                "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
                "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ nhiệm kỳ hiện hành;",
            ]
        if y >= 2016:
            law = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
        elif y >= 2004:
            law = "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;"
        else:
            law = "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 21 tháng 6 năm 1994;"
        return [law, f"Căn cứ {self.ref_doc()};"]

    # -- the three phases -----------------------------------------------------------------------
    def pre(self) -> list[tuple[str, list[str]]]:
        doc, ag, f = self.doc, self.agency, self.doc.family
        out: list[tuple[str, list[str]]] = []
        if f == "decision":
            if doc.type_code == "NQ" and ag.kind == "party":
                out.append(
                    (
                        "para",
                        [
                            f"Vào {long_date(doc.date - timedelta(days=self.rng.randint(1, 6)))}, "
                            f"{ag.agency_name} đã họp, thảo luận và thống nhất ban hành Nghị quyết "
                            f"về {doc.topic} như sau:"
                        ],
                    )
                )
                out.append(("heading", ["I- TÌNH HÌNH VÀ NGUYÊN NHÂN"]))
                out.append(self.para("result", 3))
                self.stage = 10
                return out
            if doc.type_code == "NQ":
                out.append(("center_bold", [upper_vi(ag.agency_name)]))
                out.append(
                    (
                        "center_bold",
                        [
                            f"KHÓA {self.rng.choice(['XVIII', 'XIX', 'XX'])}, KỲ HỌP THỨ "
                            f"{self.rng.randint(2, 12)}"
                        ],
                    )
                )
            elif ag.block == "dang":
                out.append(("center_bold", ["BAN THƯỜNG VỤ " + upper_vi(ag.agency_name)]))
            elif doc.signer_title == "CHỦ TỊCH" and not doc.authority_line and ag.kind == "ubnd":
                out.append(("center_bold", ["CHỦ TỊCH " + " ".join(ag.header_name)]))
            else:
                out.append(
                    (
                        "center_bold",
                        [
                            " ".join(ag.header_name)
                            if not ag.header_parent
                            else upper_vi(doc.signer_title.removeprefix("Q. "))
                            + " "
                            + " ".join(ag.header_name)
                        ],
                    )
                )
            out += [("para_i", [b]) for b in self.bases()]
            if doc.persons:
                p = doc.persons[0]
                out.append(
                    (
                        "para_i",
                        [
                            f"Xét đơn đề nghị của {p['honorific']} {p['name']} ngày "
                            f"{dmy_short(doc.date - timedelta(days=self.rng.randint(7, 40)))} "
                            f"và hồ sơ kèm theo;"
                        ],
                    )
                )
            out.append(
                (
                    "para_i",
                    [
                        f"Xét đề nghị của bộ phận chuyên môn tại Tờ trình số "
                        f"{self.rng.randint(5, 300)}/TTr ngày "
                        f"{dmy_short(doc.date - timedelta(days=self.rng.randint(2, 20)))}."
                    ],
                )
            )
            out.append(("center_bold", ["QUYẾT NGHỊ:" if doc.type_code == "NQ" else "QUYẾT ĐỊNH:"]))
            self.article = 1
            if doc.persons:
                p = doc.persons[0]
                out.append(
                    ("para", [f"Điều 1. {doc.subject.removeprefix('Về việc ').capitalize()}, cụ thể:"])
                )
                out += self.person_fields(p)
            else:
                out.append(("para", [f"Điều 1. {self.s('task')}"]))
            return out
        if f == "regulation":
            out.append(
                (
                    "center_i",
                    [
                        f"(Ban hành kèm theo Quyết định số {self.rng.randint(10, 900)}/QĐ-"
                        f"{ag.abbr} ngày {dmy_short(doc.date)} của {ag.agency_name})"
                    ],
                )
            )
            out += [("center_bold", ["Chương I"]), ("center_bold", ["QUY ĐỊNH CHUNG"])]
            self.article = 1
            out.append(("heading", ["Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng"]))
            out.append(self.para("purpose", 2))
            return out
        if f in ("plan", "report", "notice", "proposal", "letter"):
            if f == "plan":
                out.append(
                    (
                        "para",
                        [
                            f"Thực hiện {self.ref_doc()} về {doc.topic}, {ag.agency_name} xây dựng "
                            f"{doc.type_name.lower()} với các nội dung cụ thể như sau:"
                        ],
                    )
                )
            elif f == "report":
                out.append(
                    (
                        "para",
                        [
                            f"Thực hiện {self.ref_doc()}, {ag.agency_name} báo cáo kết quả "
                            f"{doc.topic} năm {doc.date.year} như sau:"
                        ],
                    )
                )
            else:
                out.append(("para", [f"Thực hiện {self.ref_doc()} về {doc.topic}."]))
                out.append(self.para("intro", 1))
            if f == "plan":
                out.append(("heading", ["I. MỤC ĐÍCH, YÊU CẦU"]))
                out += [("item", ["- " + self.s("purpose")]) for _ in range(2)]
            elif f == "report":
                out.append(("heading", ["I. KẾT QUẢ THỰC HIỆN"]))
            return out
        if f == "minutes":
            place = f"Hội trường {ag.agency_name}"
            out.append(
                (
                    "para",
                    [
                        f"Hôm nay, vào hồi {self.rng.choice([7, 8, 14])} giờ "
                        f"{self.rng.choice(['00', '30'])} phút, {long_date(doc.date)}, tại {place}, "
                        f"đã diễn ra {doc.subject[:1].lower() + doc.subject[1:]}."
                    ],
                )
            )
            out.append(("heading", ["I. THÀNH PHẦN THAM DỰ"]))
            out.append(("field", [f"1. Chủ trì: Đồng chí {doc.signer}."]))
            out.append(("field", [f"2. Thư ký: Đồng chí {doc.secretary}."]))
            out.append(
                (
                    "field",
                    [
                        f"3. Thành phần: Đại diện lãnh đạo các cơ quan, đơn vị; tổng số "
                        f"{self.rng.randint(18, 90)} đại biểu."
                    ],
                )
            )
            out.append(("heading", ["II. NỘI DUNG"]))
            return out
        if f == "invitation":
            t = doc.date + timedelta(days=self.rng.randint(2, 7))
            return [
                (
                    "para",
                    [
                        f"{ag.agency_name} trân trọng kính mời đại diện lãnh đạo Quý cơ quan, "
                        f"đơn vị tới dự {doc.subject.removeprefix('Dự ')}."
                    ],
                ),
                (
                    "field",
                    [
                        f"Thời gian: {self.rng.choice(['08 giờ 00', '08 giờ 30', '14 giờ 00'])}, "
                        f"{long_date(t)}."
                    ],
                ),
                ("field", [f"Địa điểm: Hội trường tầng {self.rng.randint(1, 3)}, trụ sở {ag.agency_name}."]),
                (
                    "para",
                    [
                        "Đề nghị các đơn vị chuẩn bị ý kiến tham luận, báo cáo kết quả thực hiện "
                        "của đơn vị mình."
                    ],
                ),
            ]
        if f == "intro":
            name = person_name(self.rng)[0]
            if doc.type_code == "GUQ":
                return [
                    ("field", [f"Người ủy quyền: Ông (bà) {doc.signer}, {doc.signer_title.lower()}."]),
                    ("field", [f"Người được ủy quyền: Ông (bà) {name}, chuyên viên."]),
                    ("field", [f"Nội dung ủy quyền: Ký các văn bản hướng dẫn chuyên môn về {doc.topic}."]),
                    (
                        "field",
                        [
                            f"Thời hạn ủy quyền: Từ ngày {dmy_short(doc.date)} đến hết ngày "
                            f"31/12/{doc.date.year}."
                        ],
                    ),
                ]
            return [
                ("para", [f"{ag.agency_name} trân trọng giới thiệu:"]),
                ("field", [f"Ông (bà): {name}"]),
                ("field", [f"Chức vụ: {self.rng.choice(['Chuyên viên', 'Cán bộ', 'Phó Trưởng phòng'])}"]),
                (
                    "field",
                    [
                        "Được cử đến: "
                        + self.rng.choice(["Sở Nội vụ Hà Nội", "Kho bạc Nhà nước", "UBND Thành phố Hà Nội"])
                    ],
                ),
                ("field", [f"Về việc: Liên hệ công tác về {doc.topic}."]),
            ]
        if f == "certificate":
            p = doc.persons[0]
            return [
                ("para", [f"{ag.agency_name} chứng nhận:"]),
                *self.person_fields(p),
                ("field", [f"Tên hộ kinh doanh: Hộ kinh doanh {p['name']}"]),
                (
                    "field",
                    [
                        "Ngành, nghề kinh doanh: "
                        + self.rng.choice(
                            ["Bán lẻ hàng tạp hóa", "Dịch vụ ăn uống", "Sửa chữa xe máy", "May mặc"]
                        )
                    ],
                ),
                ("field", [f"Vốn kinh doanh: {self.rng.randint(50, 900)}.000.000 đồng"]),
            ]
        return out

    def person_fields(self, p: dict) -> list[tuple[str, list[str]]]:
        b = date.fromisoformat(p["birth_date"])
        return [
            ("field", [f"Họ và tên: {p['name']}"]),
            ("field", [f"Ngày sinh: {b.day:02d}/{b.month:02d}/{b.year}"]),
            ("field", [f"Số {p['id_kind']}: {p['id_number']}"]),
            ("field", [f"Nơi thường trú: {p['address']}"]),
        ]

    def fill(self) -> tuple[str, list[str]] | None:
        f, rng, doc = self.doc.family, self.rng, self.doc
        n = doc.target_pages
        self.point += 1
        if f in ("invitation", "intro", "certificate"):
            return None
        if f == "decision":
            if self.stage >= 10:  # party resolution
                if self.stage == 10 and self.point > 2 + 3 * n:
                    self.stage = 11
                    return "heading", ["II- MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP"]
                return ("item", ["- " + self.s("task")]) if self.stage == 11 else self.para("result")
            if doc.persons:
                if self.point == 1:
                    self.article = 2
                    return "para", [f"Điều 2. {self.s('task')}"]
                return self.para("task", 1)
            if rng.random() < 0.3:
                self.article += 1
                return "para", [f"Điều {self.article}. {self.s('task')}"]
            return "item", ["- " + self.s(rng.choice(["task", "purpose"]))]
        if f == "regulation":
            if rng.random() < 0.35:
                self.article += 1
                title = rng.choice(
                    [
                        "Nguyên tắc phối hợp",
                        "Trách nhiệm của cơ quan chủ trì",
                        "Chế độ thông tin, báo cáo",
                        "Nội dung phối hợp",
                    ]
                )
                return "heading", [f"Điều {self.article}. {title}"]
            return self.para(rng.choice(["task", "purpose"]))
        if f == "plan":
            if self.section == 0 and self.point > 2:
                self.section = 1
                return "heading", ["II. NỘI DUNG VÀ NHIỆM VỤ"]
            if self.section == 0:
                return "item", ["- " + self.s("purpose")]
            if self.stage == 0 or rng.random() < 0.2:
                self.stage += 1
                return "heading", [
                    f"{self.stage}. {doc.topic[:1].upper() + doc.topic[1:]}"
                    if rng.random() < 0.3
                    else f"{self.stage}. Nhiệm vụ cụ thể"
                ]
            return ("item", ["- " + self.s("task")]) if rng.random() < 0.5 else self.para("task")
        if f == "report":
            if self.section == 0 and self.point > 3 * n:
                self.section = 1
                return "heading", ["II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"]
            if self.section == 1 and self.point > 4 * n + 1:
                self.section = 2
                return "heading", ["III. PHƯƠNG HƯỚNG, NHIỆM VỤ"]
            group = ["result", "limit", "task"][self.section]
            return ("item", ["- " + self.s(group)]) if rng.random() < 0.35 else self.para(group)
        if f == "minutes":
            name = person_name(rng)[0]
            return "para", [f"Đồng chí {name} phát biểu: " + self.s(rng.choice(["result", "limit", "task"]))]
        if f == "notice":
            self.section += 1
            return "para", [f"{self.section}. " + self.s(rng.choice(["task", "result"]))]
        return self.para(rng.choice(["intro", "result", "task"]))

    def final(self) -> list[tuple[str, list[str]]]:
        """The closing paragraphs; depends only on the writer's state (may be called repeatedly)."""
        saved = self.rng
        self.rng = random.Random(self.doc.seed_key + "|final")
        try:
            return self._final()
        finally:
            self.rng = saved

    def _final(self) -> list[tuple[str, list[str]]]:
        f, doc = self.doc.family, self.doc
        if f == "decision":
            if self.stage >= 10:
                return [
                    ("heading", ["III- TỔ CHỨC THỰC HIỆN"]),
                    (
                        "para",
                        [
                            "Các chi, đảng bộ trực thuộc tổ chức quán triệt, xây dựng kế hoạch thực hiện "
                            "Nghị quyết này; định kỳ báo cáo kết quả về Ban Thường vụ./."
                        ],
                    ),
                ]
            word = "Nghị quyết này" if doc.type_code == "NQ" else "Quyết định này"
            return [
                (
                    "para",
                    [
                        f"Điều {self.article + 1}. {word} có hiệu lực kể từ ngày ký. Văn phòng, "
                        f"Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành {word}./."
                    ],
                )
            ]
        if f == "regulation":
            return [
                ("heading", [f"Điều {self.article + 1}. Trách nhiệm thi hành"]),
                (
                    "para",
                    [
                        "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm thực hiện Quy chế này. Trong quá "
                        "trình thực hiện, nếu có vướng mắc, báo cáo để xem xét, sửa đổi, bổ sung./."
                    ],
                ),
            ]
        if f == "plan":
            return [("heading", ["III. TỔ CHỨC THỰC HIỆN"]), ("para", [self.s("closing")[:-1] + "./."])]
        if f == "report":
            return [
                (
                    "para",
                    [
                        f"Trên đây là báo cáo {doc.subject[:1].lower() + doc.subject[1:]} của "
                        f"{self.agency.agency_name}./."
                    ],
                )
            ]
        if f == "proposal":
            return [("para", [f"{self.agency.agency_name} kính trình {doc.addressee} xem xét, phê duyệt./."])]
        if f == "minutes":
            return [
                (
                    "para",
                    [
                        f"Cuộc họp kết thúc vào hồi {self.rng.choice([10, 11, 16, 17])} giờ "
                        f"{self.rng.choice(['00', '15', '30'])} phút cùng ngày. Biên bản đã được thông "
                        "qua trước hội nghị và được các thành viên nhất trí./."
                    ],
                )
            ]
        if f == "invitation":
            return [("para", ["Rất mong các đồng chí tham dự đúng thời gian./."])]
        if f == "intro":
            if doc.type_code == "GUQ":
                return [("para", ["Người được ủy quyền không được ủy quyền lại cho người khác./."])]
            return [
                ("para", ["Đề nghị Quý cơ quan tạo điều kiện để đồng chí hoàn thành nhiệm vụ./."]),
                (
                    "center_i",
                    [f"Giấy giới thiệu có giá trị đến hết ngày {dmy_short(doc.date + timedelta(days=30))}"],
                ),
            ]
        if f == "certificate":
            return [("para", ["Hộ kinh doanh có trách nhiệm thực hiện đúng các quy định của pháp luật./."])]
        return [("para", [self.s("closing")[:-1] + "./."])]
