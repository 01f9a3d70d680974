"""Archival glossary (Thông tư 02/2019/TT-BNV, Nghị định 30/2020/NĐ-CP, Quyết định 155/QĐ-UBND) and the
sensitivity classification, with the rules that link them to columns.

Terms are linked to columns by column name, across every table (contracts and dbt models), so a new column
named like an existing archival field is tagged without an edit here. Sensitivity comes from the contracts'
tags: column tag "PII" → PersonalData, "text" → DocumentText, table tag "restricted" → Restricted.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch

GLOSSARY = "LuuTruHanhChinh"
GLOSSARY_DISPLAY = "Thuật ngữ lưu trữ / Archival terms"
GLOSSARY_DESCRIPTION = ("Thuật ngữ nghiệp vụ lưu trữ dùng trong kho dữ liệu hành chính dùng chung của Hà Nội. / "
                        "Archival terms used by Hà Nội's shared administrative lakehouse.")


@dataclass(frozen=True)
class Term:
    name: str
    display: str
    vi: str
    en: str
    synonyms: tuple[str, ...]
    columns: tuple[str, ...]  # fnmatch patterns of column names carrying the term

    @property
    def description(self) -> str:
        return f"{self.vi}\n\n{self.en}"


TERMS: tuple[Term, ...] = (
    Term("HoSo", "Hồ sơ", "Tập văn bản về một vấn đề, sự việc hoặc một người, hình thành trong giải quyết công "
         "việc; mã hồ sơ = mã lưu trữ . mã phông . mục lục/năm . số và ký hiệu hồ sơ (TT 02/2019/TT-BNV).",
         "File: the documents on one matter, event or person produced while handling it; file code = archive "
         "code . fonds code . inventory/year . file number and symbol (Circular 02/2019).",
         ("ho so", "record", "file"), ("record_code", "record_key", "record_title", "records_*")),
    Term("VanBan", "Văn bản", "Văn bản hành chính hoặc văn bản Đảng trong hồ sơ; mã định danh = mã hồ sơ + số thứ "
         "tự trong hồ sơ (NĐ 30/2020/NĐ-CP).", "Document: an administrative or Party document inside a file; "
         "its code = file code + order in the file (Decree 30/2020).",
         ("van ban", "document"), ("document_code", "document_key", "documents_*", "type_name", "type_abbr")),
    Term("Phong", "Phông lưu trữ", "Toàn bộ tài liệu của một cơ quan, tổ chức hình thành trong hoạt động; mã "
         "phông là một phần của mã hồ sơ.", "Fonds: all records an agency produced in its work; the fonds code "
         "is part of the file code.", ("phong", "fonds"), ("fonds_code",)),
    Term("MucLuc", "Mục lục hồ sơ", "Bản kê hệ thống hồ sơ của một phông sau chỉnh lý, mỗi hồ sơ với thời hạn "
         "bảo quản.", "File inventory: the list of a fonds' files after arrangement, each with its retention "
         "period.", ("muc luc", "inventory"), ("inventory_no", "inventory_*")),
    Term("ThoiHanBaoQuan", "Thời hạn bảo quản", "Thời gian hồ sơ phải được lưu: Vĩnh viễn hoặc số năm (70, 20, 10, "
         "5).", "Retention period: how long a file is kept: permanently (Vĩnh viễn) or a number of years.",
         ("thoi han bao quan", "retention"), ("retention*",)),
    Term("ChinhLy", "Chỉnh lý", "Chỉnh lý tài liệu: lập hồ sơ, xác định giá trị và lập mục lục hồ sơ sau khi bàn "
         "giao.", "Archival arrangement: building the files, appraising them and listing them in an inventory "
         "after handover.", ("chinh ly", "arrangement"), ("arranged_*", "arrangement_*", "handover_*")),
    Term("SoHoa", "Số hóa", "Số hóa tài liệu: quét ảnh trang (tối thiểu 200 dpi, màu), nhận dạng chữ và nhập dữ liệu "
         "đặc tả.", "Digitization: scanning page images (at least 200 dpi, colour), text recognition and "
         "metadata entry.", ("so hoa", "digitization", "scanning"),
         ("batch_id", "scanned_at", "declared_dpi", "capture_device", "dpi*", "scan_*")),
    Term("DoMat", "Độ mật", "Mức bí mật nhà nước của văn bản: Mật, Tối mật, Tuyệt mật.",
         "Secrecy level of a document under state-secret law: Mật (confidential), Tối mật (secret), Tuyệt mật "
         "(top secret).", ("do mat", "secrecy", "classification level"), ("secrecy",)),
    Term("DiemThiCong", "Điểm thi công", "Địa điểm tập trung chỉnh lý và số hóa tài liệu của địa phương.",
         "Work site where a locality's records are arranged and digitized.", ("diem thi cong", "work site"),
         ("site_code", "site_name")),
    Term("CoQuanLuuTru", "Cơ quan hình thành phông", "Cơ quan, tổ chức có tài liệu được chỉnh lý và số hóa (khối "
         "Đảng, chính quyền, đoàn thể).", "Agency whose records are arranged and digitized (Party, government "
         "or mass-organisation block).", ("co quan", "agency"), ("agency_code", "agency_key", "agency_name")),
)

CLASSIFICATION = "NhayCam"
CLASSIFICATION_DESCRIPTION = ("Mức nhạy cảm của dữ liệu lưu trữ: độ mật và dữ liệu cá nhân. / Sensitivity of "
                              "archival data: state-secret levels and personal data.")


@dataclass(frozen=True)
class SensitivityTag:
    name: str
    vi: str
    en: str

    @property
    def fqn(self) -> str:
        return f"{CLASSIFICATION}.{self.name}"

    @property
    def description(self) -> str:
        return f"{self.vi}\n\n{self.en}"


TAGS: tuple[SensitivityTag, ...] = (
    SensitivityTag("Mat", "Độ mật: Mật.", "Secrecy level Mật (confidential)."),
    SensitivityTag("ToiMat", "Độ mật: Tối mật.", "Secrecy level Tối mật (secret)."),
    SensitivityTag("TuyetMat", "Độ mật: Tuyệt mật.", "Secrecy level Tuyệt mật (top secret)."),
    SensitivityTag("PersonalData", "Dữ liệu cá nhân (họ tên, ngày sinh, số định danh, địa chỉ, điện thoại).",
                   "Personal data (names, birth dates, id numbers, addresses, phone numbers)."),
    SensitivityTag("DocumentText", "Nội dung đọc từ văn bản; để trống với văn bản hạn chế trong bảng dùng chung.",
                   "Text read from documents; NULL for restricted documents in the shared tables."),
    SensitivityTag("Restricted", "Bảng hạn chế: chỉ cấp quyền riêng.", "Restricted table: granted separately."),
)
TAG_BY_NAME = {t.name: t for t in TAGS}
# contract tags → sensitivity tags
COLUMN_TAGS = {"PII": ("PersonalData",), "text": ("DocumentText",)}
TABLE_TAGS = {"restricted": ("Restricted", "Mat", "ToiMat", "TuyetMat", "PersonalData")}


def terms_for_column(name: str) -> list[Term]:
    return [t for t in TERMS if any(fnmatch(name, pat) for pat in t.columns)]


def term_fqn(term: Term) -> str:
    return f"{GLOSSARY}.{term.name}"
