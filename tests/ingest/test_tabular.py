import io
import unicodedata

import openpyxl
import pytest

from lake.core import contracts as C
from lake.domain.ingest.files import BadInput
from lake.domain.ingest.tabular import decode_csv, read_rows

MANIFEST_HEADER = [c.source for c in C.BATCH_MANIFESTS.columns if c.source]


def test_csv_rows_keep_line_numbers_and_strings():
    text = ",".join(MANIFEST_HEADER) + "\n" + ",".join(["B1", "S1", "Điểm 1", "001", "A", "R", "f.jpg", "jpeg",
                                                         "1", "300", "scanner", "2025-09-01T08:00:00+07:00", "Lan"])
    text += "\n\n" + ",".join(["B1"] + [""] * 12) + "\n"
    rows = read_rows(text.encode("utf-8-sig"), "csv", C.BATCH_MANIFESTS)
    assert [r["source_line"] for r in rows] == [2, 4]
    assert rows[0]["site_name"] == "Điểm 1" and rows[0]["dpi"] == "300"
    assert rows[1]["file_name"] is None
    assert rows[0]["source_sheet"] is None


def test_xlsx_headers_match_despite_case_spacing_and_normal_form():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mục lục"
    headers = [c.source for c in C.INVENTORY_RECORDS.columns if c.source]
    # a site typed two headers with other case / spacing and in decomposed Unicode (NFD)
    import unicodedata

    typed = [h.upper() if h == "Mã phông" else h for h in headers]
    typed[1] = unicodedata.normalize("NFD", "  Mã   hồ sơ ")
    ws.append(["", ""])  # a blank first line, as sites often leave
    ws.append([*typed, "Người lập"])
    import datetime as dt

    ws.append([1, "H01.01.2019.05", "H01", "01", "1", 2019, "05", "Hồ sơ hội nghị", "Vĩnh viễn", "", "",
               dt.datetime(2019, 1, 2), "31/12/2019", 3, 5, 10.0, "", "", "", "", 12, "Ưu tiên 1", "", "Hà"])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_rows(buf.getvalue(), "xlsx", C.INVENTORY_RECORDS)
    assert len(rows) == 1
    row = rows[0]
    assert row["record_code"] == "H01.01.2019.05"
    assert row["fonds_code"] == "01"
    assert row["start_date"] == "02/01/2019"
    assert row["page_count"] == "10"
    assert row["source_sheet"] == "Mục lục" and row["source_line"] == 3
    assert row["extra"] == {"người lập": "Hà"}


def test_missing_declared_column_is_a_bad_input():
    text = "batch_id,file_name\nB1,a.jpg\n"
    with pytest.raises(BadInput) as err:
        read_rows(text.encode(), "csv", C.BATCH_MANIFESTS)
    assert err.value.reason_code == "missing_columns"
    assert "site_code" in err.value.message


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: modified letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones)) + tones)
    return "".join(out).encode("cp1258")


_TEXT = "batch_id,file_name,operator,note\nB1,1.jpg,Nguyễn Thị Hằng,Quận Hoàn Kiếm\nB1,2.jpg,Trần Văn Đức,Hà Nội\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_TEXT.encode("utf-8"), "utf-8"),
        (_TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (_TEXT.encode("utf-16"), "utf-16"),
        (_TEXT.encode("utf-16-le"), "utf-16-le"),
        (_TEXT.encode("utf-16-be"), "utf-16-be"),
        (_cp1258(_TEXT), "cp1258"),
    ],
)
def test_csv_encodings_a_site_may_send_are_decoded(data, encoding):
    text, used = decode_csv(data)
    assert used == encoding
    assert text == _TEXT
    with pytest.raises(BadInput) as err:  # decoded, so the header is read: QC logs need more columns
        read_rows(data, "csv", C.QC_LOGS)
    assert err.value.reason_code == "missing_columns"


@pytest.mark.parametrize(
    ("data", "guess"),
    [
        # Vietnamese font encodings without a Python codec: "Hà Nội, Việt Nam" as TCVN3 (ABC) and as VNI
        (b"batch_id,note\nB1,H\xb5 N\xe9i, Vi\xd6t Nam\n", "TCVN3"),
        (b"batch_id,note\nB1,Ha\xf8 No\xe4i, Vie\xe4t Nam\n", "VNI"),
    ],
)
def test_legacy_font_encodings_are_bad_encoding_with_the_guess(data, guess):
    with pytest.raises(BadInput) as err:
        read_rows(data, "csv", C.QC_LOGS)
    assert err.value.reason_code == "bad_encoding"
    assert guess in err.value.message
    assert "0x" not in err.value.message and "Vi" not in err.value.message  # no reprs, no quoted content
