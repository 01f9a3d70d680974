"""A harder evaluation set, typeset by headless Chromium instead of the sample's own renderer.

The main sample (`generator.py`) draws every page itself with Liberation Serif and its own layout, so an
OCR or field extractor tuned on it can be tuned to that renderer. This set is made another way:

- each document is an HTML/CSS page printed to PDF by `chromium --headless --print-to-pdf`, in one of
  several Debian fonts (DejaVu, Noto, FreeFont, Liberation Sans; serif and sans), with varied header
  geometry (column widths, font sizes, a parent line or not, the motto block left or centred);
- issuers from Hà Nội and from other cities (Đà Nẵng, Thành phố Hồ Chí Minh, Huế), a body that cites
  other documents ("Công văn số 2114/BGDĐT-GDCTHSSV ngày …"), addressee blocks, appendices, secrecy
  stamps, personal data, and "trap" documents that name places or roles a naive detector reads as
  personal data (a student dormitory, "Thường trực");
- the number and the day written by hand into the typed header on some documents (a handwriting-like
  font in blue ink, slightly rotated);
- a red seal over the signature and a red "received" stamp over body text;
- rasterised from the PDF (pypdfium2) as phone photos of 70-100 dpi (blur, shading, noise, rotation,
  JPEG artefacts; the file declares 72 dpi or nothing) and a few scanner pages at 200/300 dpi that
  declare their resolution.

`make_hard_set(out_dir, n_docs, seed)` writes `pages/*.jpg`, `truth/documents.jsonl` (fields, as the
main sample's ground truth names them, plus `handwritten`, `restricted`, `city`) and `truth/pages.jsonl`
(file, document, page index, dpi declared by the "manifest", the text of the body as typeset and its box
in pixels of the delivered image). Deterministic for a seed, except for Chromium's own PDF bytes.
"""

from __future__ import annotations

import html
import json
import math
import os
import random
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

FONTS = ["DejaVu Serif", "DejaVu Sans", "Noto Serif", "Noto Sans", "FreeSerif", "FreeSans", "Liberation Sans"]
HAND_FONT = "Z003"  # URW Chancery (fonts-urw-base35): a handwriting-like italic for digits written in

# (city, place in the date line, [(parent, issuer lines, issuer_abbr, kind)])
CITIES: list[tuple[str, str, list[tuple[str, list[str], str, str]]]] = [
    ("Hà Nội", "Hà Nội", [
        ("", ["ỦY BAN NHÂN DÂN", "HUYỆN THANH TRÌ"], "UBND", "ubnd"),
        ("UBND QUẬN CẦU GIẤY", ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"], "PGDĐT", "phong"),
        ("UBND HUYỆN GIA LÂM", ["PHÒNG NỘI VỤ"], "PNV", "phong"),
        ("", ["ỦY BAN NHÂN DÂN", "XÃ ĐÔNG HỘI"], "UBND", "ubnd"),
        ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", ["HUYỆN ỦY SÓC SƠN"], "HU", "party"),
    ]),
    ("Đà Nẵng", "Đà Nẵng", [
        ("UBND THÀNH PHỐ ĐÀ NẴNG", ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"], "SGDĐT", "so"),
        ("", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"], "UBND", "ubnd"),
        ("BỘ CÔNG AN", ["CÔNG AN THÀNH PHỐ ĐÀ NẴNG"], "CATP", "police"),
    ]),
    ("Hồ Chí Minh", "Thành phố Hồ Chí Minh", [
        ("UBND THÀNH PHỐ HỒ CHÍ MINH", ["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"], "STNMT", "so"),
        ("", ["ỦY BAN NHÂN DÂN", "QUẬN 3"], "UBND", "ubnd"),
    ]),
    ("Huế", "Huế", [
        ("UBND TỈNH THỪA THIÊN HUẾ", ["SỞ Y TẾ"], "SYT", "so"),
        ("", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ"], "UBND", "ubnd"),
    ]),
]
TYPES = {  # code: (type name, abbreviation in the symbol)
    "QĐ": ("Quyết định", "QĐ"), "KH": ("Kế hoạch", "KH"), "BC": ("Báo cáo", "BC"), "TB": ("Thông báo", "TB"),
    "CV": ("Công văn", ""), "TTr": ("Tờ trình", "TTr"), "GM": ("Giấy mời", "GM"),
}
SUBJECTS = {
    "QĐ": ["Về việc thành lập Tổ công tác chỉnh lý tài liệu lưu trữ", "Về việc phê duyệt danh mục hồ sơ "
           "số hóa năm {y}", "Về việc ban hành Quy chế quản lý văn bản điện tử"],
    "KH": ["Triển khai công tác phòng, chống thiên tai năm {y}", "Tổ chức kiểm tra công tác văn thư, lưu trữ "
           "năm {y}"],
    "BC": ["Kết quả thực hiện nhiệm vụ năm {y} và phương hướng năm {y1}", "Tình hình giải quyết thủ tục hành "
           "chính quý III năm {y}"],
    "TB": ["Kết luận của Chủ tịch tại buổi làm việc về công tác chuyển đổi số", "Lịch tiếp công dân tháng 10 "
           "năm {y}"],
    "CV": ["V/v tăng cường bảo đảm an ninh trật tự khu vực trường học", "V/v báo cáo số liệu tuyển sinh năm "
           "học {y}-{y1}", "V/v rà soát hồ sơ đất đai tồn đọng"],
    "TTr": ["Về việc đề nghị phê duyệt kinh phí số hóa tài liệu", "Về việc đề nghị bổ sung biên chế năm {y1}"],
    "GM": ["Dự hội nghị tổng kết công tác năm {y}", "Dự họp triển khai kế hoạch chuyển đổi số"],
}
SENTENCES = [
    "Căn cứ {cited} ngày {cdate} của {cissuer} về việc hướng dẫn thực hiện nhiệm vụ năm học {y}-{y1};",
    "Thực hiện {cited} ngày {cdate} của {cissuer}, đơn vị đã rà soát toàn bộ hồ sơ còn tồn đọng.",
    "Các cơ quan, đơn vị chủ động bố trí cán bộ, kinh phí và phương tiện để triển khai đúng tiến độ.",
    "Trong năm {y}, toàn ngành đã tiếp nhận {n} hồ sơ, giải quyết đúng hạn đạt {p}% tổng số hồ sơ.",
    "Lực lượng chức năng tăng cường tuần tra, kiểm soát tại khu vực cổng trường và ký túc xá sinh viên.",
    "Đề nghị Thường trực các đơn vị chỉ đạo bộ phận chuyên môn phối hợp chặt chẽ, báo cáo kết quả đúng hạn.",
    "Việc số hóa tài liệu phải bảo đảm chất lượng hình ảnh, đầy đủ dữ liệu đặc tả theo quy định hiện hành.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách năm {y} đã giao cho đơn vị, tổng số {money} đồng.",
    "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn cơ bản ổn định, không có vụ việc phức "
    "tạp phát sinh.",
    "Giao Văn phòng chủ trì theo dõi, đôn đốc, tổng hợp tình hình và báo cáo trước ngày {d2}.",
    "Thời gian tổ chức từ ngày {d1} đến hết ngày {d2}; địa điểm tại hội trường tầng 3 trụ sở cơ quan.",
    "Những khó khăn, vướng mắc phát sinh được phản ánh kịp thời để cấp có thẩm quyền xem xét, giải quyết.",
]
PERSONAL = ("Ông {name}, sinh ngày {dob}, số định danh cá nhân {cccd}, thường trú tại {addr}, "
            "được hưởng trợ cấp hằng tháng kể từ ngày {d1}.")
CITED = [("Công văn số 2114/BGDĐT-GDCTHSSV", "Bộ Giáo dục và Đào tạo"),
         ("Quyết định số 155/QĐ-UBND", "Ủy ban nhân dân Thành phố"),
         ("Kế hoạch số 36/KH-UBND", "Ủy ban nhân dân Thành phố"),
         ("Chỉ thị số 05/CT-TTg", "Thủ tướng Chính phủ")]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Hữu", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Thắng", "Thảo", "Trung", "Tuấn", "Vinh", "Yến"]
STREETS = ["số 12 đường Lê Duẩn, quận Hải Châu", "số 45 phố Trần Phú, phường Văn Quán", "tổ 7, phường Vĩnh Ninh"]
RECIPIENTS = ["Như trên;", "Ban Thường vụ;", "Các phòng, ban chuyên môn;", "Lưu: VT."]


@dataclass
class HardDoc:
    document_id: str
    city: str
    font: str
    type_code: str
    type_name: str
    number: int
    symbol: str
    issuer_abbr: str
    date: str  # ISO
    place: str
    issuer: str
    issuer_parent: str
    subject: str
    signer: str
    signer_title: str
    authority_prefix: str
    layout_style: str
    secrecy: str = ""
    urgency: str = ""
    personal: bool = False
    handwritten: list[str] = field(default_factory=list)  # "number", "date"
    appendix: bool = False
    pages: int = 1

    @property
    def restricted(self) -> bool:
        return bool(self.secrecy) or self.personal


def _name(rng: random.Random) -> str:
    parts = [rng.choice(SURNAMES), rng.choice(MIDDLES), rng.choice(GIVEN)]
    if rng.random() < 0.2:
        parts.insert(2, rng.choice(MIDDLES))
    return " ".join(parts)


def _signature(kind: str, rng: random.Random) -> tuple[str, str, str]:
    """(authority prefix, authority line, title)."""
    if kind == "party":
        return rng.choice([("T/M", "T/M BAN THƯỜNG VỤ", "BÍ THƯ"), ("K/T", "K/T BÍ THƯ", "PHÓ BÍ THƯ")])
    if kind == "ubnd":
        return rng.choice([("TM.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("KT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
                           ("", "", "CHỦ TỊCH")])
    if kind == "so":
        return rng.choice([("", "", "GIÁM ĐỐC"), ("KT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
                           ("TL.", "TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")])
    if kind == "police":
        return rng.choice([("", "", "GIÁM ĐỐC"), ("KT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")])
    return rng.choice([("", "", "TRƯỞNG PHÒNG"), ("KT.", "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")])


def make_doc(k: int, rng: random.Random) -> tuple[HardDoc, dict]:
    city, place, issuers = rng.choice(CITIES)
    parent, lines, abbr, kind = rng.choice(issuers)
    party = kind == "party"
    type_code = rng.choice(["KH", "BC", "TB", "CV"] if party else list(TYPES))
    type_name, tabbr = TYPES[type_code]
    d = date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
    number = rng.randint(1, 2600) if rng.random() < 0.85 else rng.randint(1, 60)
    if type_code == "CV":
        symbol = f"{number}-CV/{abbr}" if party else f"{number}/{abbr}-{rng.choice(['VP', 'KHTC', 'PC06', 'NV'])}"
    else:
        symbol = f"{number}-{tabbr}/{abbr}" if party else f"{number}/{tabbr}-{abbr}"
    y = d.year
    subject = rng.choice(SUBJECTS[type_code]).format(y=y, y1=y + 1)
    prefix, auth_line, title = _signature(kind, rng)
    doc = HardDoc(
        document_id=f"HARD{k:04d}", city=city, font=rng.choice(FONTS), type_code=type_code, type_name=type_name,
        number=number, symbol=symbol, issuer_abbr=symbol.split("/", 1)[1] if type_code == "CV" and not party
        else abbr, date=d.isoformat(), place=place, issuer=" ".join(lines), issuer_parent=parent,
        subject=subject, signer=_name(rng), signer_title=title, authority_prefix=prefix,
        layout_style="hd36" if party else "nd30",
    )
    r = rng.random()
    if r < 0.12:
        doc.secrecy = "Mật"
    elif r < 0.24:
        doc.personal = True
    if rng.random() < 0.3:
        doc.handwritten = ["number", "date"] if rng.random() < 0.7 else ["number"]
    doc.appendix = type_code in ("KH", "BC", "QĐ") and rng.random() < 0.35
    cited, cissuer = rng.choice(CITED)
    fill = dict(cited=cited, cissuer=cissuer, cdate=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{y - 1}",
                y=y, y1=y + 1, n=rng.randint(120, 4800), p=rng.randint(80, 99),
                money=f"{rng.randint(120, 980)}.{rng.randint(100, 999)}.000",
                d1=f"{rng.randint(1, 14):02d}/{d.month:02d}/{y}", d2=f"{rng.randint(15, 28)}/{d.month:02d}/{y}")
    n_par = rng.randint(3, 6) + (5 if rng.random() < 0.25 else 0)  # some bodies run onto a second page
    paras = [SENTENCES[0 if rng.random() < 0.5 else 1].format(**fill)]
    paras += [s.format(**fill) for s in rng.sample(SENTENCES[2:], min(n_par, len(SENTENCES) - 2))]
    if doc.personal:
        paras.insert(1, PERSONAL.format(name=_name(rng), dob=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                                        f"{rng.randint(1945, 1990)}", cccd=f"0{rng.randint(10, 99)}"
                                        f"{rng.randint(10**8, 10**9 - 1)}", addr=rng.choice(STREETS), **fill))
    geometry = dict(
        left_w=rng.choice([40, 42, 45, 48]), head_pt=rng.choice([12, 12.5, 13]), body_pt=rng.choice([13, 13.5, 14]),
        margin_l=rng.choice([25, 30, 32]), line=rng.choice([1.2, 1.3, 1.45]), motto_centre=rng.random() < 0.5,
        seal=rng.random() < 0.8, received=rng.random() < 0.5, hw_rot=rng.uniform(-6, 6),
        addressee=type_code in ("CV", "TTr") and not party,
        hw_number=str(number), hw_day=str(d.day),
    )
    return doc, dict(paras=paras, geometry=geometry, auth_line=auth_line)


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def render_html(doc: HardDoc, extra: dict) -> str:
    g = extra["geometry"]
    d = date.fromisoformat(doc.date)
    hw = f"font-family:'{HAND_FONT}';color:#1f2f8f;font-size:{g['head_pt'] + 4}pt;display:inline-block;" \
         f"transform:rotate({g['hw_rot']:.1f}deg)"
    sym_tail = doc.symbol[len(str(doc.number)):]
    if "number" in doc.handwritten:
        num_html = f"<span style=\"{hw}\">{doc.number}</span>{_esc(sym_tail)}"
    else:
        num_html = _esc(doc.symbol)
    so = "Số" if doc.layout_style == "hd36" else "Số:"
    day = f"{d.day:02d}" if d.day < 10 and d.month < 3 else str(d.day)
    day_html = f"<span style=\"{hw}\">{d.day}</span>" if "date" in doc.handwritten else day
    date_html = f"{_esc(doc.place)}, ngày {day_html} tháng {d.month} năm {d.year}"
    right_top = ("ĐẢNG CỘNG SẢN VIỆT NAM" if doc.layout_style == "hd36"
                 else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br><u>Độc lập - Tự do - Hạnh phúc</u>")
    left = ""
    if doc.issuer_parent:
        left += f"<div style=\"font-weight:normal\">{_esc(doc.issuer_parent)}</div>"
    left += "".join(f"<div><b>{_esc(x)}</b></div>" for x in _lines(doc))
    left += "<div class=rule>&#8203;</div>"
    left += f"<div style=\"margin-top:6pt\">{so} {num_html}</div>"
    if doc.type_code == "CV":
        left += f"<div style=\"font-size:{g['head_pt'] - 1}pt\">{_esc(doc.subject)}</div>"
    if doc.secrecy:
        left += "<div class=stamp>MẬT</div>"
    right = f"<div><b>{right_top}</b></div><div style=\"margin-top:10pt\"><i>{date_html}</i></div>"
    parts = [f"<table class=head><tr><td class=l style=\"width:{g['left_w']}%\">{left}</td>"
             f"<td class=r style=\"text-align:{'center' if g['motto_centre'] else 'right'}\">{right}</td></tr></table>"]
    if doc.type_code != "CV":
        parts.append(f"<div class=title>{_esc(doc.type_name.upper())}</div>")
        parts.append(f"<div class=subject>{_esc(doc.subject)}</div>")
    if g["addressee"]:
        parts.append("<p class=kg>Kính gửi: Ủy ban nhân dân các phường, xã trên địa bàn.</p>")
    parts.append("<div class=body>")
    for i, p in enumerate(extra["paras"]):
        style = " style=\"position:relative\"" if i == 1 and g["received"] else ""
        stamp = ("<span class=received>ĐẾN<br>Số: ...........<br>Ngày: ......</span>"
                 if i == 1 and g["received"] else "")
        parts.append(f"<p{style}>{stamp}{_esc(p)}</p>")
    parts.append("</div>")
    rec = "".join(f"<div>- {_esc(r)}</div>" for r in RECIPIENTS)
    sig_head = (f"<div><b>{_esc(extra['auth_line'])}</b></div>" if extra["auth_line"] else "")
    seal = "<div class=seal>&#8203;</div>" if g["seal"] else ""
    parts.append(f"<table class=foot><tr><td class=nn><b><i>Nơi nhận:</i></b>{rec}</td>"
                 f"<td class=sig>{sig_head}<div><b>{_esc(doc.signer_title)}</b></div>{seal}"
                 f"<div class=sp></div><div><b>{_esc(doc.signer)}</b></div></td></tr></table>")
    if doc.appendix:
        rows = "".join(f"<tr><td>{i}</td><td>{_esc(x)}</td><td>{random.Random(i).randint(3, 90)}</td></tr>"
                       for i, x in enumerate(["Hồ sơ hành chính", "Hồ sơ đất đai", "Hồ sơ nhân sự",
                                              "Hồ sơ xây dựng", "Hồ sơ tài chính"], 1))
        parts.append(f"<div class=annex><div class=title>PHỤ LỤC</div><div class=subject><i>(Kèm theo "
                     f"{_esc(doc.type_name)} số {_esc(doc.symbol)} ngày {d.day}/{d.month}/{d.year})</i></div>"
                     f"<table class=grid><tr><th>STT</th><th>Nội dung</th><th>Số lượng</th></tr>{rows}</table>"
                     f"</div>")
    css = f"""
@page {{ size: A4; margin: 20mm 15mm 20mm {g['margin_l']}mm; }}
body {{ font-family: '{doc.font}'; font-size: {g['body_pt']}pt; line-height: {g['line']}; color: #111; }}
table.head {{ width: 100%; border-collapse: collapse; font-size: {g['head_pt']}pt; line-height: 1.25; }}
table.head td {{ vertical-align: top; text-align: center; }}
.rule {{ width: 35%; margin: 1pt auto 0; border-top: 1px solid #111; height: 1pt; }}
.title {{ text-align: center; font-weight: bold; margin-top: 16pt; }}
.subject {{ text-align: center; font-weight: bold; margin-bottom: 10pt; }}
.kg {{ text-align: center; }}
.body p {{ text-align: justify; text-indent: 1cm; margin: 4pt 0; }}
.stamp {{ mix-blend-mode: multiply; display: inline-block; border: 2px solid #c0262b; color: #c0262b; font-weight: bold;
          padding: 1pt 8pt; margin-top: 4pt; }}
.received {{ mix-blend-mode: multiply; position: absolute; right: 8%; top: -4pt; border: 2px solid #c22;
             color: #c22; opacity: .75;
             font-size: 10pt; line-height: 1.2; padding: 2pt 6pt; transform: rotate(-8deg); text-indent: 0; }}
table.foot {{ width: 100%; margin-top: 14pt; page-break-inside: avoid; }}
td.nn {{ width: 45%; vertical-align: top; font-size: 11pt; }}
td.sig {{ text-align: center; vertical-align: top; position: relative; }}
.seal {{ mix-blend-mode: multiply; position: absolute; left: 18%; top: 4pt; width: 38mm; height: 38mm;
         border: 3px solid #c0262b;
         border-radius: 50%; opacity: .6; }}
.sp {{ height: 24mm; }}
.annex {{ page-break-before: always; }}
table.grid {{ border-collapse: collapse; width: 100%; }} table.grid td, table.grid th {{ border: 1px solid #333;
  padding: 2pt 6pt; }}
"""
    return (f"<!DOCTYPE html><html lang=vi><head><meta charset=utf-8><style>{css}</style></head><body>"
            + "".join(parts) + "</body></html>")


def _lines(doc: HardDoc) -> list[str]:
    for _city, _place, issuers in CITIES:
        for parent, lines, _abbr, _kind in issuers:
            if parent == doc.issuer_parent and " ".join(lines) == doc.issuer:
                return lines
    return [doc.issuer]


def chromium_pdf(html_text: str, work: Path, name: str) -> bytes:
    """Print one HTML document to PDF with headless Chromium (no network: a local file, no remote refs)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise RuntimeError("chromium is not installed (Debian package 'chromium')")
    src, pdf = work / f"{name}.html", work / f"{name}.pdf"
    src.write_text(html_text, encoding="utf-8")
    cmd = [exe, "--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
           f"--user-data-dir={work / ('profile-' + name)}", f"--print-to-pdf={pdf}", src.as_uri()]
    if os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    shutil.rmtree(work / ("profile-" + name), ignore_errors=True)
    return pdf.read_bytes()


_STAMP_LINE = re.compile(r"^\s*(ĐẾN|Số:\s*\.{3,}|Ngày:\s*\.{3,})\s*$")


def _lines_in_band(tp, band_top: float, band_bottom: float) -> str:
    """Text of a PDF page between two heights (points from the bottom), in reading order.

    pdfium returns text in paint order, and Chromium paints positioned boxes (a stamp, the paragraph
    holding it) after the normal flow; the text lines are therefore put back in order by their height
    on the page. The received stamp's own words are not body text.
    """
    n = tp.count_chars()
    text = tp.get_text_range(0, n)
    lines, start = [], 0
    for part in text.split("\r\n"):
        idx = next((start + k for k, c in enumerate(part) if not c.isspace()), None)
        if idx is not None and idx < n:
            _left, bottom, _right, top = tp.get_charbox(idx)
            mid = (top + bottom) / 2
            if band_bottom <= mid <= band_top and not _STAMP_LINE.match(part):
                lines.append((-round(mid), _left, part.strip()))
        start += len(part) + 2
    lines.sort()
    return "\n".join(t for *_, t in lines)


def _body_boxes(pdf, paras: list[str]) -> dict[int, tuple[tuple[float, float, float, float], str]]:
    """Per page index: the body band (left, top, right, bottom in points from the top) and its text."""
    def find(text: str):
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            s = tp.search(text, match_case=True)
            hit = s.get_next()
            if hit:
                return i, tp, hit
        return None

    first, last = find(paras[0][:30]), find(paras[-1][-30:])
    if not first or not last:
        return {}
    out = {}
    for i in range(first[0], last[0] + 1):
        page = pdf[i]
        w, h = page.get_size()
        tp = page.get_textpage()
        top = h - 40
        bottom = 40
        if i == first[0]:
            top = first[1].get_charbox(first[2][0])[3] + 2
        if i == last[0]:
            idx = last[2][0] + last[2][1] - 1
            bottom = last[1].get_charbox(idx)[1] - 2
        out[i] = ((0.0, h - top, w, h - bottom), _lines_in_band(tp, top, bottom))
    return out


def _photo(img: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """A phone photo of a page: shading, blur, noise, small rotation."""
    s = dpi / 72
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = arr.shape[:2]
    xs = np.linspace(-1, 1, w, dtype=np.float32)
    ys = np.linspace(-1, 1, h, dtype=np.float32)
    st = rng.uniform(0.1, 0.3)
    shade = 1 - st * (0.3 * (xs[None, :] + 1) + 0.4 * ys[:, None] ** 2)
    arr = arr * shade[:, :, None] * np.array([0.98, 0.97, 0.93], dtype=np.float32)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.15, 0.4) * s))
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 6), (h, w, 1))
    img = Image.fromarray(np.clip(np.asarray(img, dtype=np.float32) + noise, 0, 255).astype(np.uint8))
    return img


@dataclass
class _PageOut:
    file: str
    document_id: str
    page_index: int  # within the document
    dpi: int  # the resolution of the delivered image (what a manifest would declare)
    declared_dpi: float | None  # what the file itself says
    capture_device: str
    rotation: float
    jpeg_quality: int
    body_text: str | None
    body_bbox_px: list[float] | None
    degradations: list[str]


def _rotate_box(box, angle, size):
    """Axis-aligned box of `box` (l, t, r, b px) after PIL's rotate(angle) about the image centre."""
    x0, y0, x1, y1 = box
    cx, cy = size[0] / 2, size[1] / 2
    th = math.radians(angle)
    pts = []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        dx, dy = x - cx, y - cy
        pts.append((cx + dx * math.cos(th) + dy * math.sin(th), cy - dx * math.sin(th) + dy * math.cos(th)))
    return [min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)]


def _rasterise(doc: HardDoc, extra: dict, pdf_bytes: bytes, rng: random.Random, out_dir: Path) -> list[_PageOut]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    boxes = _body_boxes(pdf, extra["paras"])
    device = "scanner" if rng.random() < 0.15 else "phone"
    dpi = rng.choice([200, 300]) if device == "scanner" else rng.randint(70, 100)
    pages = []
    for i in range(len(pdf)):
        page = pdf[i]
        img = page.render(scale=dpi / 72).to_pil().convert("RGB")
        degr: list[str] = []
        angle = 0.0
        quality = 90
        if device == "phone":
            img = _photo(img, rng, dpi)
            degr += ["shading", "blur", "noise"]
            if rng.random() < 0.6:
                angle = round(rng.uniform(-3, 3), 2)
                img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=(235, 232, 225))
                degr.append("rotation")
            quality = rng.randint(40, 75)
            degr.append(f"jpeg{quality}")
        name = f"{doc.document_id}_{i + 1}.jpg"
        # a scanner declares its resolution; a phone writes the 72 dpi software default, or nothing
        declared = float(dpi) if device == "scanner" else (72.0 if rng.random() < 0.6 else None)
        kw = {"quality": quality}
        if declared:
            kw["dpi"] = (declared, declared)
        img.save(out_dir / name, "JPEG", **kw)
        body = boxes.get(i)
        bbox = None
        if body:
            s = dpi / 72
            (x0, y0, x1, y1), _text = body
            bbox = [x0 * s, y0 * s, x1 * s, y1 * s]
            if angle:
                bbox = _rotate_box(bbox, angle, img.size)
        pages.append(_PageOut(name, doc.document_id, i, dpi, declared, device, angle, quality,
                              body[1] if body else None, bbox, degr))
    doc.pages = len(pdf)
    pdf.close()
    return pages


def make_hard_set(out_dir: Path, n_docs: int = 30, seed: int = 17, workers: int = 2) -> dict:
    """Write the harder evaluation set into `out_dir` (pages/ and truth/); returns counts."""
    out_dir = Path(out_dir)
    (out_dir / "pages").mkdir(parents=True, exist_ok=True)
    (out_dir / "truth").mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    specs = [make_doc(k, random.Random(rng.randint(0, 2**31))) for k in range(1, n_docs + 1)]
    work = Path(tempfile.mkdtemp(prefix="hardset-"))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pdfs = list(pool.map(lambda s: chromium_pdf(render_html(*s), work, s[0].document_id), specs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pages: list[_PageOut] = []
    for (doc, extra), pdf_bytes in zip(specs, pdfs, strict=True):
        pages += _rasterise(doc, extra, pdf_bytes, random.Random(f"{seed}|{doc.document_id}"), out_dir / "pages")
    with open(out_dir / "truth" / "documents.jsonl", "w", encoding="utf-8") as f:
        for doc, _ in specs:
            f.write(json.dumps({**asdict(doc), "restricted": doc.restricted}, ensure_ascii=False) + "\n")
    with open(out_dir / "truth" / "pages.jsonl", "w", encoding="utf-8") as f:
        for p in pages:
            f.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    return {"documents": len(specs), "pages": len(pages)}
