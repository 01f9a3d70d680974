"""The weekly report: figures by the written rules on a hand-made progress series, the PDF's text read back with
pdftotext (no Spark); and `lakehouse report` on the sample's gold tables through the Thrift server."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest

from lake.apps.report import ReportError, build_report, parse_week, render_pdf

D = dt.date


def _series() -> pd.DataFrame:
    """Two old districts, district level, priority 3 (loading due 31 Dec 2026) and priority 1 (due 1 Feb 2026).

    001 p3: plan 1000, 400 loaded (100 on 20 Nov, 300 earlier); 002 p3: plan 1000, 800 loaded (140 in the
    last 14 days); 001 p1: plan 500, 300 loaded by 1 Feb 2026 and 150 more later; scanned pages for the QC
    backlog: 001 scanned 700, QC passed 450.
    """
    rows = []

    def add(code, prio, stage, deadline, day, planned, pages):
        rows.append({"district_code": code, "agency_level": "district", "priority_group": prio, "stage": stage,
                     "deadline": deadline, "date_day": day, "planned_pages": planned, "actual_pages_day": pages})

    p3, p1 = D(2026, 12, 31), D(2026, 2, 1)
    add("001", 3, "loaded", p3, D(2026, 10, 1), 1000, 300)
    add("001", 3, "loaded", p3, D(2026, 11, 24), 1000, 100)
    add("002", 3, "loaded", p3, D(2026, 9, 1), 1000, 660)
    add("002", 3, "loaded", p3, D(2026, 11, 25), 1000, 140)
    add("001", 1, "loaded", p1, D(2026, 1, 15), 500, 300)
    add("001", 1, "loaded", p1, D(2026, 6, 1), 500, 150)
    add("002", 1, "loaded", p1, D(2026, 1, 10), 500, 500)
    add("001", 3, "scanned", p3, D(2026, 9, 1), 1000, 700)
    add("001", 3, "qc_passed", p3, D(2026, 9, 2), 1000, 450)
    add("001", 3, "loaded", p3, D(2026, 12, 3), 1000, 999)  # after the report's week: not counted
    return pd.DataFrame(rows)


def test_parse_week_and_errors():
    assert parse_week("2026-W48") == (D(2026, 11, 23), D(2026, 11, 29))
    with pytest.raises(ReportError, match="2026-W48"):
        parse_week("48/2026")
    with pytest.raises(ReportError, match="no ISO week 54"):
        parse_week("2026-W54")


def test_report_figures_by_hand():
    data = build_report(_series(), {"001": "Quận Ba Đình", "002": "Quận Hoàn Kiếm"}, {"001": 3}, "2026-W48")
    assert data.as_of == D(2026, 11, 29)
    loc = {r.district_code: r for r in data.localities}
    assert (loc["001"].planned_pages, loc["001"].loaded_pages, loc["001"].loaded_this_week) == (1500, 850, 100)
    assert loc["001"].share_loaded == pytest.approx(850 / 1500)
    assert (loc["001"].qc_backlog_pages, loc["001"].open_qc_issues) == (250, 3)
    dl = {(d.district_code, d.priority_group): d for d in data.deadlines}
    # 001 p3: 600 left, pace 100/14 a day × 32 days ≈ 229 < 600 → at risk
    assert (dl[("001", 3)].remaining_pages, dl[("001", 3)].days_left, dl[("001", 3)].status) == (600, 32, "at_risk")
    # 002 p3: 200 left, pace 140/14 = 10 a day × 32 = 320 ≥ 200 → on track
    assert dl[("002", 3)].status == "on_track"
    # 001 p1: passed on 1 Feb 2026 with 200 left then, 50 now: overdue 301 days
    assert (dl[("001", 1)].status, dl[("001", 1)].days_left, dl[("001", 1)].remaining_at_deadline,
            dl[("001", 1)].remaining_pages) == ("overdue", -301, 200, 50)
    assert dl[("002", 1)].status == "done"
    assert [(d.district_code, d.priority_group) for d in data.behind] == [("001", 3), ("001", 1)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is a bootstrap package")
def test_pdf_text_in_vietnamese_administrative_form(tmp_path):
    data = build_report(_series(), {"001": "Quận Ba Đình", "002": "Quận Hoàn Kiếm"}, {"001": 3}, "2026-W48")
    data.issued_on = D(2026, 11, 30)
    pdf = render_pdf(data, tmp_path / "r.pdf")
    assert pdf.stat().st_mode & 0o077 == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for words in ("UBND THÀNH PHỐ HÀ NỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "/BC-TTPVHCC", "Hà Nội, ngày 30 tháng 11 năm 2026", "BÁO CÁO", "tuần 48 năm 2026",
                  "từ ngày 23/11/2026 đến ngày 29/11/2026", "I. TÌNH HÌNH CHUNG", "II. TIẾN ĐỘ THEO ĐỊA BÀN",
                  "III. CÁC ĐỊA BÀN CHẬM TIẾN ĐỘ", "IV. TỒN ĐỌNG KIỂM TRA CHẤT LƯỢNG", "Nơi nhận:", "GIÁM ĐỐC",
                  "Quận Ba Đình", "1.500", "56,7 %", "Quá hạn 301", "quá hạn 301 ngày; tại ngày hết hạn còn 200 trang",
                  "Có nguy cơ trễ hạn", "Tổng cộng", "3.000", "2.150", "71,7 %", "Số địa bàn chậm tiến độ: 1."):
        assert words in flat, words
    # the at-risk table lists only the localities that are: Hoàn Kiếm (on track, done) is not in section III
    section3 = flat.split("III. CÁC ĐỊA BÀN CHẬM TIẾN ĐỘ")[1].split("IV. TỒN ĐỌNG")[0]
    assert "Quận Ba Đình" in section3 and "Quận Hoàn Kiếm" not in section3
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 4  # header lines + two chart images
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts and "yes" in fonts  # embedded


@pytest.mark.spark
def test_report_command_on_the_sample(gold, lake_env, tmp_path, monkeypatch):
    """`lakehouse report` reads the sample's gold tables through the Thrift server, logged in as a person of the
    programme office (a steward of the directory); without an account it stops with a clear error."""
    from lake.apps.cli import main
    from lake.platform.directory import ensure_person
    from lake.platform.services import Services

    Services(lake_env).up(thrift=True)
    monkeypatch.delenv("LAKEHOUSE_SQL_USER", raising=False)
    monkeypatch.delenv("LAKEHOUSE_SQL_PASSWORD", raising=False)
    assert main(["report", "--week", "2026-W48", "--out", str(tmp_path / "x.pdf")]) == 2
    path = ensure_person(lake_env, "luutru", ("steward",), "Cán bộ lưu trữ")
    monkeypatch.setenv("LAKEHOUSE_SQL_USER", "luutru")
    monkeypatch.setenv("LAKEHOUSE_SQL_PASSWORD", path.read_text(encoding="utf-8").strip())
    today = dt.date.today()
    week = f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"
    out = tmp_path / "week.pdf"
    assert main(["report", "--week", week, "--out", str(out)]) == 0
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "II. TIẾN ĐỘ THEO ĐỊA BÀN" in text and "Tổng cộng" in text
    assert main(["report", "--week", week, "--district", "1; DROP", "--out", str(out)]) == 2
