"""The weekly progress report a programme office sends upward: `lakehouse report --week YYYY-Www [--district CODE]`.

A PDF in Vietnamese administrative form (Decree 30/2020: issuing body and national motto in the header, number
and place-date line, title, numbered sections, recipients and signature block), built from the gold tables the
dashboards read:

- `gold.fct_digitization_progress`: planned and actual pages per old district × level × priority × stage; the
  report stands on the last day of the ISO week (or the marts' as-of day when the week is not over);
- `gold.dim_locality`: district names; `silver.qc_issues`: the open quality-control issues (QC backlog).

The figures follow the rules of `fct_deadline_status` (see its header): per level × priority group the next
deadline that still applies (`next_deadline`), a locality "at risk" when the deadline is ahead and the pace of the
last 14 days × days left is less than what remains, "overdue" when the deadline has passed with pages left.
Everything here except `load_report_data` is plain Python (tested without Spark); the PDF embeds Liberation
fonts from Debian (`fonts-liberation2`), which carry every Vietnamese letter.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
ISSUER_PARENT = "UBND THÀNH PHỐ HÀ NỘI"
ISSUER = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
SYMBOL = "BC-TTPVHCC"
STAGE_NAMES = {"handed_over": "bàn giao", "arranged": "chỉnh lý", "scanned": "số hóa (quét)",
               "recognised": "nhận dạng (OCR)", "qc_passed": "kiểm tra đạt", "loaded": "nạp vào kho"}
LEVEL_NAMES = {"district": "cấp huyện", "commune": "cấp xã"}
STATUS_NAMES = {"done": "Hoàn thành", "overdue": "Quá hạn", "at_risk": "Có nguy cơ trễ hạn", "on_track": "Đúng tiến độ"}
PACE_DAYS = 14


class ReportError(ValueError):
    pass


def parse_week(text: str) -> tuple[dt.date, dt.date]:
    """The Monday and Sunday of an ISO week.

    >>> parse_week("2026-W48")
    (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    """
    m = re.fullmatch(r"(\d{4})-W(\d{2})", text.strip())
    if not m:
        raise ReportError(f"--week must look like 2026-W48 (ISO year and week), got {text!r}")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ReportError(f"{text!r}: {year} has no ISO week {week}") from exc
    return monday, monday + dt.timedelta(days=6)


def status(remaining: int, pace_per_day: float, days_left: int) -> str:
    """The rule of fct_deadline_status.

    >>> status(0, 0.0, 10), status(5, 0.0, -1), status(600, 10.0, 30), status(200, 10.0, 30)
    ('done', 'overdue', 'at_risk', 'on_track')
    """
    if remaining <= 0:
        return "done"
    if days_left < 0:
        return "overdue"
    return "at_risk" if pace_per_day * days_left < remaining else "on_track"


def vn_date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def vn_number(n: float) -> str:
    """Vietnamese thousands separator: 1234567 → '1.234.567'."""
    return f"{round(n):,}".replace(",", ".")


def vn_percent(share: float | None) -> str:
    """One decimal, decimal comma; a small share is not rounded to 0 ('0,4 %'), none is '–'."""
    return "–" if share is None else f"{share * 100:.1f} %".replace(".", ",")


@dataclass
class DeadlineRow:
    district_code: str
    level: str
    priority_group: int
    stage: str
    deadline: dt.date
    days_left: int
    remaining_pages: int
    remaining_at_deadline: int | None
    pace_per_day: float
    status: str


@dataclass
class LocalityRow:
    district_code: str
    name: str
    planned_pages: int
    scanned_pages: int
    loaded_pages: int
    loaded_this_week: int
    qc_backlog_pages: int
    open_qc_issues: int

    @property
    def share_loaded(self) -> float | None:
        return self.loaded_pages / self.planned_pages if self.planned_pages else None


@dataclass
class ReportData:
    week: str
    week_start: dt.date
    week_end: dt.date
    as_of: dt.date
    district: str | None
    localities: list[LocalityRow]
    deadlines: list[DeadlineRow]
    weekly_loaded: list[tuple[dt.date, int]] = field(default_factory=list)
    issued_on: dt.date | None = None

    @property
    def behind(self) -> list[DeadlineRow]:
        """Next-deadline rows of localities that are overdue or at risk, most remaining pages first."""
        return sorted((d for d in self.deadlines if d.status in ("overdue", "at_risk")),
                      key=lambda d: (-d.remaining_pages, d.district_code))


def next_deadlines(rows: list[dict], as_of: dt.date) -> set[tuple[str, int, str]]:
    """{(level, priority, stage)} whose deadline is the next that still applies for its level × priority group:
    the earliest on or after `as_of` (the last stage of that day), else the last stage."""
    order = list(STAGE_NAMES)
    best: dict[tuple[str, int], tuple] = {}
    for r in rows:
        key = (r["level"], r["priority_group"])
        future = r["deadline"] >= as_of
        rank = (0 if future else 1, r["deadline"] if future else dt.date.min, -order.index(r["stage"]))
        if key not in best or rank < best[key][0]:
            best[key] = (rank, r["stage"])
    return {(k[0], k[1], v[1]) for k, v in best.items()}


def build_report(progress: pd.DataFrame, names: dict[str, str], qc_issues: dict[str, int], week: str,
                 district: str | None = None, mart_as_of: dt.date | None = None) -> ReportData:
    """The report's figures from the progress series (rows of gold.fct_digitization_progress, summed over
    blocks: district_code, agency_level, priority_group, stage, deadline, date_day, planned_pages,
    actual_pages_day) up to the report's day."""
    week_start, week_end = parse_week(week)
    as_of = min(week_end, mart_as_of) if mart_as_of else week_end
    df = progress[progress["date_day"] <= as_of]
    if district:
        df = df[df["district_code"] == district]
    if df.empty:
        raise ReportError(f"no progress figures up to {vn_date(as_of)}" + (f" for district {district}" if district
                                                                          else ""))
    keys = ["district_code", "agency_level", "priority_group", "stage"]
    planned = df.groupby([*keys, "date_day"])["planned_pages"].sum().groupby(keys).max()
    done = df.groupby(keys)["actual_pages_day"].sum()
    recent = df[df["date_day"] > as_of - dt.timedelta(days=PACE_DAYS)].groupby(keys)["actual_pages_day"].sum()
    deadline = df.groupby(keys)["deadline"].max()

    def at(stage: str, frame=df) -> dict[str, int]:
        f = frame[frame["stage"] == stage]
        return {k: int(v) for k, v in f.groupby("district_code")["actual_pages_day"].sum().items()}

    in_week = df[df["date_day"] >= week_start]
    scanned, qc_passed, loaded, loaded_week = at("scanned"), at("qc_passed"), at("loaded"), at("loaded", in_week)
    plan_loaded = planned[planned.index.get_level_values("stage") == "loaded"].groupby("district_code").sum()
    localities = [
        LocalityRow(code, names.get(code, code), int(plan_loaded.get(code, 0)), scanned.get(code, 0),
                    loaded.get(code, 0), loaded_week.get(code, 0),
                    max(scanned.get(code, 0) - qc_passed.get(code, 0), 0), qc_issues.get(code, 0))
        for code in sorted(set(df["district_code"]))
    ]
    rows = [{"level": k[1], "priority_group": int(k[2]), "stage": k[3], "deadline": d}
            for k, d in deadline.items() if pd.notna(d) and int(k[2]) > 0]
    nxt = next_deadlines(rows, as_of)
    deadlines = []
    for k, d in deadline.items():
        if pd.isna(d) or (k[1], int(k[2]), k[3]) not in nxt:
            continue
        remaining = max(int(planned[k]) - int(done[k]), 0)
        at_deadline = None
        if d < as_of:
            upto = df[(df["date_day"] <= d) & (df["district_code"] == k[0]) & (df["agency_level"] == k[1])
                      & (df["priority_group"] == k[2]) & (df["stage"] == k[3])]["actual_pages_day"].sum()
            at_deadline = max(int(planned[k]) - int(upto), 0)
        pace = float(recent.get(k, 0)) / PACE_DAYS
        days_left = (d - as_of).days
        deadlines.append(DeadlineRow(k[0], k[1], int(k[2]), k[3], d, days_left, remaining, at_deadline, pace,
                                     status(remaining, pace, days_left)))
    weekly: dict[dt.date, int] = defaultdict(int)
    loaded_days = df[df["stage"] == "loaded"]
    for day, pages in zip(loaded_days["date_day"], loaded_days["actual_pages_day"], strict=True):
        weekly[day - dt.timedelta(days=day.weekday())] += int(pages)
    series = sorted((w, n) for w, n in weekly.items() if w > week_start - dt.timedelta(weeks=12))
    return ReportData(week, week_start, week_end, as_of, district, localities, deadlines, series)


# ---------------------------------------------------------------------------------------------------------------
# Reading the gold tables (through the Spark Thrift endpoint, as the dashboards do)
# ---------------------------------------------------------------------------------------------------------------
def load_report_data(query: Callable[[str], pd.DataFrame], week: str, district: str | None = None) -> ReportData:
    """`query`: SQL → DataFrame (e.g. `lake.apps.notebook.read_sql` bound to the settings)."""
    _, week_end = parse_week(week)
    if district is not None and not re.fullmatch(r"[0-9A-Za-z_]{1,12}", district):
        raise ReportError(f"--district must be an old district code such as 001, got {district!r}")
    where = f"AND district_code = '{district}'" if district else ""
    progress = query(f"""
        SELECT district_code, agency_level, priority_group, stage, deadline, date_day,
               sum(planned_pages) AS planned_pages, sum(actual_pages_day) AS actual_pages_day
        FROM gold.fct_digitization_progress
        WHERE date_day <= DATE'{week_end.isoformat()}' AND NOT is_after_as_of {where}
        GROUP BY district_code, agency_level, priority_group, stage, deadline, date_day""")
    for col in ("date_day", "deadline"):
        progress[col] = pd.to_datetime(progress[col]).dt.date
    as_of = query("SELECT max(date_day) AS d FROM gold.fct_digitization_progress WHERE NOT is_after_as_of")
    mart_as_of = pd.to_datetime(as_of["d"].iloc[0]).date() if len(as_of) and as_of["d"].iloc[0] else None
    names = query("SELECT substr(locality_key, 14) AS code, unit_name FROM gold.dim_locality "
                  "WHERE unit_kind = 'old_district'")
    qc = query(f"SELECT district_code, count(*) AS n FROM silver.qc_issues WHERE severity = 'error' {where} "
               "GROUP BY district_code")
    return build_report(progress, dict(zip(names["code"], names["unit_name"], strict=True)),
                        {c: int(n) for c, n in zip(qc["district_code"], qc["n"], strict=True) if c},
                        week, district, mart_as_of)


# ---------------------------------------------------------------------------------------------------------------
# The PDF
# ---------------------------------------------------------------------------------------------------------------
def _fonts() -> tuple[str, str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic")
    for d in FONT_DIRS:
        if all((d / f"{n}.ttf").is_file() for n in names):
            for n in names:
                if n not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(n, str(d / f"{n}.ttf")))
            return names
    raise ReportError(f"Liberation fonts not found in {', '.join(map(str, FONT_DIRS))} (Debian fonts-liberation2)")


def _chart_png(kind: str, data: ReportData) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    plt.rcParams["font.family"] = "Liberation Serif"
    fig, ax = plt.subplots(figsize=(7.0, 2.8), dpi=150)
    if kind == "share":
        rows = [r for r in data.localities if r.planned_pages]
        ax.barh([r.name for r in rows], [r.share_loaded for r in rows], color="#2c6fbb")
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlim(0, 1)
        ax.invert_yaxis()
        ax.set_title("Tỉ lệ trang đã nạp vào kho so với kế hoạch, theo quận/huyện cũ", fontsize=10)
    else:
        weeks = [w for w, _ in data.weekly_loaded]
        ax.bar([w.strftime("%d/%m") for w in weeks], [n for _, n in data.weekly_loaded], color="#3a9a5b")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: vn_number(v)))
        ax.set_title("Số trang nạp vào kho theo tuần (12 tuần gần nhất, ngày đầu tuần)", fontsize=10)
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def render_pdf(data: ReportData, out: Path) -> Path:
    """Write the report to `out` (owner-only) and return it."""
    import os

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold, italic = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=12, leading=16, alignment=TA_JUSTIFY)
    center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
    center_bold = ParagraphStyle("center_bold", parent=center, fontName=bold)
    head = ParagraphStyle("head", parent=base, fontName=bold, spaceBefore=8, spaceAfter=4)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=11, alignment=0)
    small_bold = ParagraphStyle("small_bold", parent=small, fontName=bold)
    issued = data.issued_on or dt.date.today()
    year, week_no = data.week_start.isocalendar()[:2]
    scope = "toàn Thành phố" if not data.district else (
        f"quận/huyện cũ {next((r.name for r in data.localities if r.district_code == data.district), data.district)}")

    header = Table([
        [Paragraph(ISSUER_PARENT, center), Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", center_bold)],
        [Paragraph(f"<b>{ISSUER}</b>", center), Paragraph("<u>Độc lập - Tự do - Hạnh phúc</u>", center_bold)],
        [Paragraph(f"Số: &nbsp;&nbsp;&nbsp;&nbsp;&nbsp;/{SYMBOL}", center),
         Paragraph(f"<i>Hà Nội, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}</i>",
                   ParagraphStyle("date", parent=center, fontName=italic))],
    ], colWidths=[7.2 * cm, 9.8 * cm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story = [header, Spacer(1, 14),
             Paragraph("BÁO CÁO", ParagraphStyle("title", parent=center_bold, fontSize=14)),
             Paragraph(f"<b>Tiến độ chỉnh lý, số hóa tài liệu tuần {week_no} năm {year} ({scope})</b>", center),
             Paragraph(f"(từ ngày {vn_date(data.week_start)} đến ngày {vn_date(data.week_end)}; số liệu tính đến "
                       f"ngày {vn_date(data.as_of)})", center), Spacer(1, 10)]

    total_plan = sum(r.planned_pages for r in data.localities)
    total_loaded = sum(r.loaded_pages for r in data.localities)
    total_week = sum(r.loaded_this_week for r in data.localities)
    share = total_loaded / total_plan if total_plan else None
    story += [Paragraph("I. TÌNH HÌNH CHUNG", head), Paragraph(
        f"Theo kế hoạch lập từ hồ sơ đã bàn giao, {scope} có {vn_number(total_plan)} trang tài liệu phải số hóa và "
        f"nạp vào kho dữ liệu dùng chung. Đến ngày {vn_date(data.as_of)} đã nạp {vn_number(total_loaded)} trang "
        f"({vn_percent(share)}), trong tuần nạp {vn_number(total_week)} trang. Số địa bàn chậm tiến độ: "
        f"{len({d.district_code for d in data.behind})}.", base)]
    for level, prio in sorted({(d.level, d.priority_group) for d in data.deadlines}):
        rows = [d for d in data.deadlines if (d.level, d.priority_group) == (level, prio)]
        d0 = rows[0]
        left = sum(d.remaining_pages for d in rows)
        what = (f"Nhóm ưu tiên {prio}, {LEVEL_NAMES.get(level, level)}: hạn {STAGE_NAMES[d0.stage]} "
                f"{vn_date(d0.deadline)}")
        if d0.days_left < 0:
            at = sum(d.remaining_at_deadline or 0 for d in rows)
            text = (f"{what}, quá hạn {-d0.days_left} ngày; tại ngày hết hạn còn {vn_number(at)} trang, "
                    f"hiện còn {vn_number(left)} trang.")
        else:
            text = f"{what}, còn {d0.days_left} ngày; còn lại {vn_number(left)} trang."
        story.append(Paragraph("- " + text, base))

    story += [Paragraph("II. TIẾN ĐỘ THEO ĐỊA BÀN", head)]
    table = [[Paragraph(t, small_bold) for t in ("TT", "Quận/huyện cũ", "Kế hoạch (trang)", "Đã quét",
                                                  "Đã nạp kho", "Tỉ lệ nạp", "Nạp trong tuần")]]
    for i, r in enumerate(data.localities, start=1):
        table.append([Paragraph(str(i), small), Paragraph(r.name, small)] + [
            Paragraph(v, small) for v in (vn_number(r.planned_pages), vn_number(r.scanned_pages),
                                          vn_number(r.loaded_pages), vn_percent(r.share_loaded),
                                          vn_number(r.loaded_this_week))])
    table.append([Paragraph("", small), Paragraph("Tổng cộng", small_bold)] + [
        Paragraph(v, small_bold) for v in (vn_number(total_plan), vn_number(sum(r.scanned_pages for r in
                                           data.localities)), vn_number(total_loaded), vn_percent(share),
                                           vn_number(total_week))])
    t = Table(table, colWidths=[1 * cm, 4.3 * cm, 2.4 * cm, 2.2 * cm, 2.2 * cm, 2 * cm, 2.4 * cm], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]))
    story += [t, Spacer(1, 8), Image(io.BytesIO(_chart_png("share", data)), width=16 * cm, height=6.4 * cm)]
    if data.weekly_loaded:
        story.append(Image(io.BytesIO(_chart_png("weekly", data)), width=16 * cm, height=6.4 * cm))

    story += [Paragraph("III. CÁC ĐỊA BÀN CHẬM TIẾN ĐỘ", head), Paragraph(
        "Quá hạn: đã qua thời hạn mà còn trang chưa xong. Có nguy cơ trễ hạn: thời hạn chưa đến nhưng số trang làm "
        f"được trong {PACE_DAYS} ngày gần nhất, chia {PACE_DAYS}, nhân số ngày còn lại, nhỏ hơn số trang còn lại.",
        base)]
    if data.behind:
        names = {r.district_code: r.name for r in data.localities}
        rows = [[Paragraph(t, small_bold) for t in ("Quận/huyện cũ", "Nhóm", "Thời hạn", "Còn lại (trang)",
                                                     "Tốc độ 14 ngày (trang/ngày)", "Tình trạng")]]
        for d in data.behind:
            state = (f"Quá hạn {-d.days_left} ngày" if d.status == "overdue"
                     else f"{STATUS_NAMES[d.status]} (còn {d.days_left} ngày)")
            rows.append([Paragraph(v, small) for v in (
                names.get(d.district_code, d.district_code),
                f"Ưu tiên {d.priority_group}, {LEVEL_NAMES.get(d.level, d.level)}",
                f"{STAGE_NAMES[d.stage]} {vn_date(d.deadline)}", vn_number(d.remaining_pages),
                f"{d.pace_per_day:.1f}".replace(".", ","), state)])
        t = Table(rows, colWidths=[3.4 * cm, 2.9 * cm, 3.2 * cm, 2 * cm, 2.2 * cm, 2.8 * cm], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]))
        story.append(t)
    else:
        story.append(Paragraph("Không có địa bàn chậm tiến độ.", base))

    story += [Paragraph("IV. TỒN ĐỌNG KIỂM TRA CHẤT LƯỢNG", head)]
    backlog = [r for r in data.localities if r.qc_backlog_pages or r.open_qc_issues]
    if backlog:
        rows = [[Paragraph(t, small_bold) for t in ("Quận/huyện cũ", "Trang đã quét chưa kiểm tra đạt",
                                                     "Lỗi kiểm tra chưa xử lý")]]
        rows += [[Paragraph(r.name, small), Paragraph(vn_number(r.qc_backlog_pages), small),
                  Paragraph(vn_number(r.open_qc_issues), small)] for r in backlog]
        t = Table(rows, colWidths=[6 * cm, 5.5 * cm, 5.5 * cm], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]))
        story.append(t)
    else:
        story.append(Paragraph("Không có tồn đọng kiểm tra chất lượng.", base))

    sign = Table([[Paragraph("<b><i>Nơi nhận:</i></b><br/>- UBND Thành phố (để báo cáo);<br/>- Sở Nội vụ;<br/>"
                             "- Lưu: VT.", small),
                   Paragraph("<b>GIÁM ĐỐC</b>", center)]], colWidths=[8 * cm, 9 * cm])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 16), sign]

    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=3 * cm, rightMargin=1.5 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm, title=f"Báo cáo tiến độ số hóa tuần {week_no}/{year}",
                      author=ISSUER).build(story)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(buf.getvalue())
    return out


def default_path(settings, week: str, district: str | None) -> Path:
    return settings.lake_root / "reports" / f"bao_cao_tuan_{week}{'_' + district if district else ''}.pdf"


def report_command(settings, week: str, district: str | None = None, out: Path | None = None) -> Path:
    """`lakehouse report`: read the gold tables through the Thrift endpoint and write the PDF."""
    from lake.apps.notebook import NotebookError, read_sql

    try:
        data = load_report_data(lambda q: read_sql(settings, q), week, district)
    except NotebookError as exc:  # no account / endpoint down: say so plainly
        raise ReportError(str(exc)) from exc
    return render_pdf(data, out or default_path(settings, week, district))
