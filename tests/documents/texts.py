"""Page texts as they come out of Tesseract `vie` (clean and OCR-damaged variants)."""

from __future__ import annotations


def nd30_text(left: list[str], right: list[str], title: str | None, subject: list[str], body: list[str],
              recipients: list[str], signature: list[str], *, interleave: bool = False,
              before_title: list[str] = ()) -> str:
    """A first-and-last page of a Nghị định 30 document.

    interleave=False: Tesseract found the two header columns as separate blocks (left, then right).
    interleave=True: it merged them, so each text line holds the left item and then the right item.
    """
    if interleave:
        n = max(len(left), len(right))
        head = [" ".join(x for x in ((left[k] if k < len(left) else ""), (right[k] if k < len(right) else ""))
                         if x) for k in range(n)]
    else:
        head = [*left, "", *right]
    parts = [*head, "", *before_title]
    if title:
        parts += [title]
    parts += [*subject, "", *body, "", "Nơi nhận:", *recipients, *signature]
    return "\n".join(parts) + "\n"


# the national motto heading the right column of an ND30 header
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
    "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 368/TTr-SNV ngày 26/5/2025.",
]

SIG_UBND = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Trọng Đông"]
RECIP = ["- Như Điều 3;", "- Thường trực Thành ủy;", "- Chủ tịch UBND Thành phố;", "- Lưu: VT, KSTTHC."]

# 1. Quyết định of UBND Thành phố, clean
QD_CLEAN = nd30_text(
    ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "———", "Số: 155/QĐ-UBND"],
    [*MOTTO, "————————", "Hà Nội, ngày 05 tháng 6 năm 2025"],
    "QUYẾT ĐỊNH",
    ["Về việc phê duyệt Đề án xây dựng cơ sở dữ liệu dùng chung từ số hóa",
     "tài liệu tập trung của các cơ quan trên địa bàn Thành phố Hà Nội"],
    ["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", *BODY, "QUYẾT ĐỊNH:", "Điều 1. Phê duyệt Đề án ..."],
    RECIP, SIG_UBND,
)

# 2. Same, OCR-damaged: Sô:, QD, missing diacritics in the date words, no space in "5tháng", interleaved
QD_DAMAGED = nd30_text(
    ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "—", "Sô: 155/QD-UBND"],
    ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
     "Hà Nội, ngay 5tháng 6 nam 2025"],
    "QUYÉT ĐỊNH",
    ["Về việc phê duyệt Đề án xây dựng cơ sở dữ liệu dùng chung từ số hóa"],
    BODY, RECIP, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Trọng Đông"],
    interleave=True,
)

# 3. Công văn of UBND Thành phố: issuer + drafting unit, V/v subject under the number
CV_UBND = nd30_text(
    ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "Số: 4869/UBND-SYT", "V/v triển khai công tác phòng,",
     "chống dịch bệnh mùa hè năm 2025"],
    [*MOTTO, "", "Hà Nội, ngày 26 tháng 7 năm 2025"],
    None, [],
    ["Kính gửi:", "- Các Sở, ban, ngành Thành phố;", "- UBND các phường, xã.",
     "Thực hiện chỉ đạo của Bộ Y tế ..."],
    ["- Như trên;", "- Lưu: VT, SYT."],
    ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Lê Thị Hồng Hạnh"],
)

# 4. Công văn of a department with parent above it, S6: and spaces around / and -
CV_SO = nd30_text(
    ["UBND THÀNH PHỐ HÀ NỘI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "S6: 1906 / SGDĐT - CTrTT",
     "V/v hướng dẫn tuyển sinh lớp 10 năm học 2025-2026"],
    [*MOTTO, "Hà Nội, ngày 2 tháng 4 năm 2025"],
    None, [], ["Kính gửi: Các trường trung học phổ thông", "Căn cứ ..."],
    ["- Như trên;", "- Giám đốc Sở (để b/c);", "- Lưu: VT, CTrTT."],
    ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phạm Văn Đại"],
)

# 5. Party resolution (Hướng dẫn 36): hyphenated number, T/M prefix
NQ_PARTY = nd30_text(
    ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "HUYỆN ỦY SÓC SƠN", "*", "Số 12-NQ/HU"],
    ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Sóc Sơn, ngày 12 tháng 3 năm 2025"],
    "NGHỊ QUYẾT",
    ["về lãnh đạo thực hiện sắp xếp đơn vị hành chính cấp xã"],
    ["Căn cứ Điều lệ Đảng;", "Ban Thường vụ Huyện ủy quyết nghị:"],
    ["- Ban Thường vụ Thành ủy (để b/c),", "- Các đảng bộ, chi bộ trực thuộc,", "- Lưu Văn phòng Huyện ủy."],
    ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Trần Văn Bình"],
)

# 6. Party công văn of a commune Đảng ủy with K/T
CV_PARTY = nd30_text(
    ["ĐẢNG BỘ HUYỆN ĐÔNG ANH", "ĐẢNG ỦY XÃ VIỆT HÙNG", "*", "Số 245-CV/ĐU",
     "V/v chuẩn bị Đại hội đảng bộ các chi bộ"],
    ["ĐẢNG CỘNG SẢN VIỆT NAM", "Việt Hùng, ngày 20 tháng 5 năm 2025"],
    None, [], ["Kính gửi: Các chi bộ trực thuộc", "Thực hiện Kế hoạch số 03-KH/HU ..."],
    ["- Như kính gửi,", "- Lưu VP."],
    ["K/T BÍ THƯ", "PHÓ BÍ THƯ", "Đỗ Thị Mai"],
)

# 7. Urgent, secret Tờ trình with damaged TTR abbreviation and numeric date
TTR_STAMPED = nd30_text(
    ["ỦY BAN NHÂN DÂN", "QUẬN HOÀN KIẾM", "Số: 368/TTR-UBND", "MẬT"],
    [*MOTTO, "Hoàn Kiếm, 05/06/2025"],
    "TỜ TRÌNH",
    ["Về việc đề nghị phê duyệt phương án sắp xếp trụ sở"],
    ["Kính gửi: Ủy ban nhân dân Thành phố Hà Nội", "Căn cứ ..."],
    ["- Như trên;", "- Lưu: VT."],
    ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vũ Đăng Định"],
    before_title=["KHẨN"],
)
