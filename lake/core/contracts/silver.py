"""Silver contracts: conformed, typed tables built from bronze.

jobs/silver_reference.py writes localities, locality_mapping and agencies; jobs/silver_documents.py records,
documents, document_pages, restricted_documents and qc_issues. Every silver table carries `row_hash`
(SHA-256 of the row's business columns) and the run that last changed the row: a re-run compares keys +
row_hash with the live table and writes nothing when they are equal (lake.domain.silver.sync). Columns
tagged "text" or "PII" are NULL in the shared tables for restricted documents (is_restricted); those
tagged "PII" or "restricted" never reach a mart (lake.core.contracts.model).
"""

from __future__ import annotations

from lake.core.contracts.columns import AGENCY_CODE, DISTRICT_CODE, RECORD_CODE, SILVER_AUDIT
from lake.core.contracts.model import TableContract, col

SILVER_LOCALITIES = TableContract(
    layer="silver", name="localities",
    vi="Đơn vị hành chính của Hà Nội trước và sau 1/7/2025: 30 quận/huyện cũ, 526 xã/phường cũ, 126 xã/phường "
       "mới; mã xã mới theo danh sách chính thức (bảng chuyển đổi đã đối soát theo tên).",
    en="Hà Nội administrative units before and after 1 Jul 2025: 30 old districts, 526 old communes, 126 new "
       "communes; new-commune codes are the final list's (the conversion table is reconciled by name).",
    columns=(
        col("unit_kind", "string", "Loại: old_district, old_commune, new_commune",
            "Kind: old_district, old_commune, new_commune", nullable=False),
        col("unit_code", "string", "Mã đơn vị (mã thống kê, chuỗi có số 0 đầu)", "Unit code (NSO, zero-padded)",
            nullable=False),
        col("unit_name", "string", "Tên đơn vị (NFC)", "Unit name (NFC)", nullable=False),
        col("unit_level", "string", "Cấp: Quận, Huyện, Thị xã, Phường, Xã, Thị trấn",
            "Level: Quận, Huyện, Thị xã, Phường, Xã, Thị trấn", nullable=False),
        col("district_code", "string", "Mã quận/huyện cũ (với xã cũ và quận/huyện cũ)",
            "Old district code (old communes and old districts)"),
        col("district_name", "string", "Tên quận/huyện cũ", "Old district name"),
        col("valid_from", "date", "Hiệu lực từ (xã mới: 2025-07-01)", "Valid from (new communes: 2025-07-01)"),
        col("valid_to", "date", "Hiệu lực đến (đơn vị cũ: 2025-06-30)", "Valid to (old units: 2025-06-30)"),
        col("conversion_table_code", "string", "Mã in trong bảng chuyển đổi (xã mới), có thể khác mã chính thức",
            "Code printed in the conversion table (new communes); may differ from the final code"),
        col("conversion_code_conflict", "string", "Đơn vị khác đang dùng mã của bảng chuyển đổi (nếu có)",
            "Other unit whose final code the conversion table uses for this one (if any)"),
        col("related_codes", "array<string>",
            "Đơn vị liên quan: xã mới nhận (với đơn vị cũ) hoặc xã cũ nguồn (với xã mới)",
            "Related units: new communes fed (old units) or source old communes (new communes)"),
        col("seat_of_districts", "array<string>", "Các quận/huyện cũ nhận xã mới này làm đầu mối tại chỗ",
            "Old districts for which this new commune is the local point of contact"),
        *SILVER_AUDIT,
    ),
    key=("unit_kind", "unit_code"),
)

SILVER_LOCALITY_MAPPING = TableContract(
    layer="silver", name="locality_mapping",
    vi="Ánh xạ nhiều – nhiều xã/phường cũ → xã/phường mới (bảng chuyển đổi đã đối soát), có chuyển một phần.",
    en="Many-to-many old commune → new commune mapping (reconciled conversion table), with partial transfers.",
    columns=(
        col("old_commune_code", "string", "Mã xã cũ (đã sửa theo danh sách 526)", "Old commune code (checked "
            "against the list of 526)", nullable=False),
        col("new_commune_code", "string", "Mã xã mới (danh sách 126 chính thức)", "New commune code (final list)",
            nullable=False),
        col("old_commune_name", "string", "Tên xã cũ", "Old commune name", nullable=False),
        col("old_district_code", "string", "Mã quận/huyện cũ", "Old district code", nullable=False),
        col("new_commune_name", "string", "Tên xã mới", "New commune name", nullable=False),
        col("is_partial", "boolean", "Chỉ chuyển một phần diện tích/dân số", "Only part of the old unit moved",
            nullable=False),
        col("merge_note_vi", "string", "Ghi chú sắp xếp (nguyên văn)", "Official merger wording"),
        col("is_primary_successor", "boolean", "Xã mới này giữ hồ sơ của xã cũ (người kế nhiệm chính)",
            "This new commune holds the old commune's records (primary successor)", nullable=False),
        col("successor_rule", "string", "Quy tắc chọn người kế nhiệm chính", "Rule that chose the primary successor"),
        col("table_old_code", "string", "Mã xã cũ như in trong bảng", "Old code as printed in the table"),
        col("table_new_code", "string", "Mã xã mới như in trong bảng", "New code as printed in the table"),
        col("table_order", "int", "Thứ tự dòng trong bảng chuyển đổi", "Row order in the conversion table"),
        *SILVER_AUDIT,
    ),
    key=("old_commune_code", "new_commune_code"),
)

SILVER_AGENCIES = TableContract(
    layer="silver", name="agencies",
    vi="Cơ quan (khối Đảng, chính quyền, đoàn thể; cấp huyện, xã) với địa bàn và cơ quan tiếp nhận hồ sơ sau "
       "1/7/2025; gồm cả mã cơ quan chỉ thấy trong mục lục/bảng kê (in_register = false).",
    en="Agencies (Party, government, mass organisations; district and commune level) with their locality and "
       "successor custodian after 1 Jul 2025; includes codes seen only in inventories/manifests (in_register "
       "false).",
    columns=(
        col("agency_code", "string", "Mã cơ quan", "Agency code", nullable=False),
        col("agency_name", "string", "Tên cơ quan", "Agency name"),
        col("in_register", "boolean", "Có trong danh mục cơ quan", "Listed in the agency register", nullable=False),
        col("level", "string", "Cấp: district / commune", "Level: district / commune"),
        col("block", "string", "Khối: party / government / mass", "Block: party / government / mass"),
        DISTRICT_CODE,
        col("district_name", "string", "Tên quận/huyện cũ", "Old district name"),
        col("commune_code", "string", "Mã xã/phường cũ (cơ quan cấp xã)", "Old commune code (commune level)"),
        col("commune_name", "string", "Tên xã/phường cũ", "Old commune name"),
        col("archive_code", "string", "Mã cơ quan lưu trữ", "Archive code"),
        col("fonds_code", "string", "Mã phông", "Fonds code"),
        col("site_code", "string", "Điểm thi công", "Work site"),
        col("custodian_name", "string", "Cơ quan giữ hồ sơ từ 1/7/2025", "Custodian of the records from 1 Jul 2025"),
        col("custodian_level", "string", "Cấp cơ quan giữ hồ sơ: commune (xã mới) / city",
            "Custodian level: commune (new commune) / city"),
        col("custodian_commune_code", "string", "Xã mới giữ hồ sơ hoặc đầu mối tại chỗ (mã chính thức)",
            "New commune holding the records or local point of contact (final code)"),
        col("custodian_commune_name", "string", "Tên xã mới đó", "Its name"),
        col("custodian_also_covers", "array<string>", "Các xã mới khác nhận một phần địa bàn",
            "Other new communes holding part of the territory"),
        col("custodian_rule", "string", "Quy tắc đã áp dụng", "Rule applied"),
        col("handover_date", "date", "Ngày bàn giao (biên bản)", "Handover date (report)"),
        col("handover_file_count", "int", "Số hồ sơ bàn giao", "Files handed over"),
        col("handover_box_count", "int", "Số hộp bàn giao", "Boxes handed over"),
        col("issues", "array<string>", "Vấn đề dữ liệu (unknown_agency, unknown_commune, ...)",
            "Data issues (unknown_agency, unknown_commune, ...)"),
        *SILVER_AUDIT,
    ),
    key=("agency_code",),
)

SILVER_RECORDS = TableContract(
    layer="silver", name="records",
    vi="Hồ sơ theo mục lục hồ sơ (TT 02/2019), đã định kiểu: ngày, thời hạn bảo quản chuẩn hóa, nhóm ưu tiên, "
       "số trang theo mục lục và theo ảnh quét, hộp số, cơ quan, số văn bản tìm thấy.",
    en="Records (hồ sơ) from the file inventories (Circular 02/2019), typed: dates, normalised retention, "
       "priority group, page counts inventory vs scanned, box, agency, documents found.",
    columns=(
        RECORD_CODE.but(nullable=False),
        col("agency_code", "string", "Mã cơ quan (theo vị trí tệp mục lục)", "Agency code (from the inventory's "
            "folder)"),
        col("district_code", "string", "Mã quận/huyện cũ của cơ quan ('unknown' nếu không rõ)",
            "Old district of the agency ('unknown' when not known)", nullable=False),
        col("archive_code", "string", "Mã cơ quan lưu trữ", "Archive code"),
        col("fonds_code", "string", "Mã phông", "Fonds code"),
        col("inventory_no", "string", "Mục lục số", "Inventory number"),
        col("year_formed", "int", "Năm hình thành", "Year formed"),
        col("file_number_symbol", "string", "Số và ký hiệu hồ sơ", "File number and symbol"),
        col("title", "string", "Tiêu đề hồ sơ", "File title", tags=("restricted",)),
        col("retention_raw", "string", "Thời hạn bảo quản như ghi", "Retention as written"),
        col("retention_permanent", "boolean", "Bảo quản vĩnh viễn", "Kept permanently"),
        col("retention_years", "int", "Số năm bảo quản (null nếu vĩnh viễn)", "Retention years (null if permanent)"),
        col("access_regime", "string", "Chế độ sử dụng", "Access regime"),
        col("language", "string", "Ngôn ngữ", "Language"),
        col("start_date", "date", "Thời gian bắt đầu", "Start date"),
        col("end_date", "date", "Thời gian kết thúc", "End date"),
        col("document_count_inventory", "int", "Tổng số văn bản theo mục lục", "Documents per the inventory"),
        col("document_count_found", "int", "Số văn bản trong silver.documents", "Documents in silver.documents"),
        col("sheet_count", "int", "Số lượng tờ", "Sheets"),
        col("page_count_inventory", "int", "Số lượng trang theo mục lục", "Pages per the inventory"),
        col("page_count_scanned", "int", "Số trang quét (nội dung trùng chỉ tính một lần)",
            "Pages scanned (duplicate content counted once)", nullable=False),
        col("page_count_ocr", "int", "Số trang đã OCR", "Pages with OCR output", nullable=False),
        col("page_count_match", "boolean", "Số trang mục lục = số trang quét", "Inventory pages = scanned pages"),
        col("info_symbol", "string", "Ký hiệu thông tin", "Information symbol"),
        col("keywords", "string", "Từ khóa", "Keywords", tags=("restricted",)),
        col("physical_state", "string", "Tình trạng vật lý", "Physical condition"),
        col("notes", "string", "Chú giải", "Notes", tags=("restricted",)),
        col("box_number", "int", "Hộp số", "Box number"),
        col("priority_group", "int", "Nhóm ưu tiên số hóa (1, 2, 3; null nếu khác)", "Priority group (1, 2, 3)"),
        col("priority_raw", "string", "Nhóm ưu tiên như ghi", "Priority as written"),
        col("arranged_on", "date", "Ngày chỉnh lý xong", "Arrangement completed"),
        col("scan_files", "array<string>", "Tệp quét theo thứ tự trang", "Scan files in page order"),
        col("first_scanned_at", "timestamp", "Lần quét đầu", "First scan time"),
        col("has_restricted_documents", "boolean", "Có văn bản mật / dữ liệu cá nhân", "Holds restricted documents",
            nullable=False),
        col("flags", "array<string>", "Cờ kiểm tra", "QC flags"),
        col("source_file", "string", "Tệp mục lục nguồn", "Source inventory file"),
        col("source_line", "int", "Dòng trong tệp mục lục", "Line in the inventory file"),
        *SILVER_AUDIT,
    ),
    key=("record_code",),
    partition_by=("district_code",),
)

_SPAN = "struct<page_in_document:int,page_id:string,start_char:int,end_char:int>"

SILVER_DOCUMENTS = TableContract(
    layer="silver", name="documents",
    vi="Văn bản (TT 02/2019, NĐ 30/2020, HD 36): mã định danh = mã hồ sơ + số thứ tự, các trường đọc từ OCR kèm "
       "độ tin cậy và vị trí nguồn, trường khai trong mục lục văn bản, cờ kiểm tra. Văn bản mật hoặc có dữ liệu "
       "cá nhân: các cột văn bản/cá nhân để trống (xem silver.restricted_documents).",
    en="Documents (Circular 02/2019, Decree 30/2020, Guide 36): code = file code + order, fields read by OCR "
       "with confidence and source span, fields declared by the document list, flags. Classified documents or "
       "documents with personal data have their text/personal columns NULL (see silver.restricted_documents).",
    columns=(
        col("document_code", "string", "Mã định danh văn bản (mã hồ sơ.số thứ tự 3 chữ số)",
            "Document code (record code.order, 3 digits)", nullable=False),
        RECORD_CODE.but(nullable=False),
        col("order_in_record", "int", "Số thứ tự trong hồ sơ", "Order in the file", nullable=False),
        AGENCY_CODE,
        DISTRICT_CODE.but(nullable=False),
        col("first_page", "int", "Trang bắt đầu trong hồ sơ (từ 1)", "First page in the file (1-based)",
            nullable=False),
        col("last_page", "int", "Trang kết thúc trong hồ sơ", "Last page in the file", nullable=False),
        col("page_count", "int", "Số trang", "Pages", nullable=False),
        col("boundary_source", "string", "Ranh giới: inventory (mục lục) / detected (phát hiện)",
            "Boundary: inventory / detected", nullable=False),
        col("layout", "string", "Thể thức: nd30 / hd36", "Layout: nd30 / hd36"),
        col("type_name", "string", "Tên loại văn bản", "Document type", tags=("text",)),
        col("type_abbr", "string", "Viết tắt tên loại", "Type abbreviation", tags=("text",)),
        col("number", "int", "Số văn bản", "Document number", tags=("text",)),
        col("symbol", "string", "Số và ký hiệu", "Number and symbol", tags=("text",)),
        col("issuer_abbr", "string", "Viết tắt cơ quan ban hành", "Issuer abbreviation", tags=("text",)),
        col("document_date", "date", "Ngày tháng văn bản", "Document date", tags=("text",)),
        col("place", "string", "Địa danh", "Place", tags=("text",)),
        col("issuer", "string", "Cơ quan ban hành", "Issuing body", tags=("text",)),
        col("issuer_parent", "string", "Cơ quan chủ quản", "Parent body", tags=("text",)),
        col("issuer_agency_code", "string", "Mã cơ quan ban hành trong danh mục cơ quan (trống: không khớp)",
            "Issuer's agency code in the agency register (null: not matched)"),
        col("issuer_registered_name", "string", "Tên cơ quan ban hành theo danh mục cơ quan",
            "Issuer's name as the agency register spells it"),
        col("subject", "string", "Trích yếu nội dung", "Subject", tags=("text",)),
        col("signer_name", "string", "Người ký", "Signer", tags=("text", "PII")),
        col("signer_title", "string", "Chức vụ người ký", "Signer title", tags=("text", "restricted")),
        col("authority_prefix", "string", "Quyền hạn ký (TM., KT., T/M ...)", "Authority prefix", tags=("text",)),
        col("recipients", "array<string>", "Nơi nhận", "Recipients", tags=("text", "restricted")),
        col("secrecy", "string", "Độ mật: Mật / Tối mật / Tuyệt mật", "Secrecy: Mật / Tối mật / Tuyệt mật",
            tags=("restricted",)),
        col("urgency", "string", "Độ khẩn: Khẩn / Thượng khẩn / Hỏa tốc", "Urgency"),
        col("field_confidence", "map<string,double>", "Độ tin cậy từng trường (0–1)", "Confidence per field (0-1)"),
        col("field_spans", f"map<string,{_SPAN}>", "Vị trí nguồn từng trường: trang, mã trang, ký tự bắt đầu/kết thúc",
            "Source span per field: page, page id, start/end char in the page's OCR text"),
        col("inventory_symbol", "string", "Số và ký hiệu theo mục lục văn bản", "Number/symbol per the document list",
            tags=("text",)),
        col("inventory_date", "date", "Ngày văn bản theo mục lục", "Date per the document list", tags=("text",)),
        col("inventory_type_name", "string", "Tên loại theo mục lục", "Type per the document list", tags=("text",)),
        col("inventory_subject", "string", "Trích yếu theo mục lục", "Subject per the document list", tags=("text",)),
        col("inventory_author", "string", "Tác giả theo mục lục", "Author per the document list", tags=("text",)),
        col("ocr_quality", "string", "Chất lượng OCR kém nhất của các trang", "Worst OCR quality of its pages"),
        col("mean_ocr_confidence", "double", "Độ tin cậy OCR trung bình", "Mean OCR word confidence"),
        col("is_restricted", "boolean", "Hạn chế: mật hoặc có dữ liệu cá nhân", "Restricted: classified or "
            "personal data", nullable=False),
        col("restriction_reasons", "array<string>", "Lý do hạn chế: classified, personal_data",
            "Restriction reasons: classified, personal_data"),
        col("flags", "array<string>", "Cờ kiểm tra (number_not_found, date_digit_suspect, ...)",
            "QC flags (number_not_found, date_digit_suspect, ...)"),
        *SILVER_AUDIT,
    ),
    key=("document_code",),
    partition_by=("district_code",),
)

SILVER_DOCUMENT_PAGES = TableContract(
    layer="silver", name="document_pages",
    vi="Trang → văn bản: thứ tự trang trong hồ sơ và trong văn bản, tệp nguồn, chất lượng OCR.",
    en="Page → document: page order in the file and in the document, source file, OCR quality.",
    columns=(
        col("document_code", "string", "Mã định danh văn bản", "Document code", nullable=False),
        col("page_id", "string", "Mã trang (sha256:trang)", "Page id (sha256:index)", nullable=False),
        RECORD_CODE.but(nullable=False),
        DISTRICT_CODE.but(nullable=False),
        col("page_in_record", "int", "Trang trong hồ sơ (từ 1)", "Page in the file (1-based)", nullable=False),
        col("page_in_document", "int", "Trang trong văn bản (từ 1)", "Page in the document (1-based)",
            nullable=False),
        col("sha256", "string", "SHA-256 tệp quét", "Scan file SHA-256", nullable=False),
        col("page_index", "int", "Trang trong tệp (từ 0)", "Page in the file (0-based)", nullable=False),
        col("source_path", "string", "Tệp quét (tên chuẩn nếu trùng nội dung)", "Scan file (canonical name when "
            "duplicated)", nullable=False),
        col("duplicate_paths", "array<string>", "Các tên khác của cùng nội dung", "Other names of the same content"),
        col("capture_device", "string", "Thiết bị chụp", "Capture device"),
        col("declared_dpi", "int", "Độ phân giải khai báo", "Declared dpi"),
        col("ocr_config_id", "string", "Cấu hình OCR", "OCR configuration"),
        col("quality_class", "string", "Chất lượng OCR: good / suspect / bad / missing",
            "OCR quality: good / suspect / bad / missing", nullable=False),
        col("quality_reasons", "array<string>", "Lý do", "Reasons"),
        *SILVER_AUDIT,
    ),
    key=("document_code", "page_id"),
    partition_by=("district_code",),
)

SILVER_RESTRICTED_DOCUMENTS = TableContract(
    layer="silver", name="restricted_documents",
    vi="BẢNG HẠN CHẾ: văn bản mật (Mật, Tối mật, Tuyệt mật) và văn bản có dữ liệu cá nhân (kết quả giải quyết "
       "thủ tục hành chính): trường văn bản, dữ liệu cá nhân phát hiện và toàn văn OCR. Chỉ cấp quyền riêng.",
    en="RESTRICTED: classified documents (Mật, Tối mật, Tuyệt mật) and documents with personal data "
       "(administrative-procedure results): text fields, detected personal data and the OCR full text. "
       "Grant separately.",
    columns=(
        col("document_code", "string", "Mã định danh văn bản", "Document code", nullable=False),
        RECORD_CODE.but(nullable=False),
        AGENCY_CODE,
        col("restriction_reasons", "array<string>", "Lý do hạn chế", "Restriction reasons", nullable=False),
        col("secrecy", "string", "Độ mật", "Secrecy", tags=("restricted",)),
        col("type_name", "string", "Tên loại", "Type", tags=("text",)),
        col("symbol", "string", "Số và ký hiệu", "Number and symbol", tags=("text",)),
        col("document_date", "date", "Ngày văn bản", "Date", tags=("text",)),
        col("issuer", "string", "Cơ quan ban hành", "Issuer", tags=("text",)),
        col("subject", "string", "Trích yếu", "Subject", tags=("text",)),
        col("signer_name", "string", "Người ký", "Signer", tags=("text", "PII")),
        col("fields", "map<string,string>", "Tất cả trường đã đọc (dạng chuỗi)", "All extracted fields (as text)",
            tags=("text", "PII")),
        col("personal_data", "array<struct<kind:string,text:string,page_in_document:int,start_char:int,end_char:int,"
            "confidence:double>>", "Dữ liệu cá nhân phát hiện (họ tên, ngày sinh, số định danh, địa chỉ, điện thoại)",
            "Personal data found (name, birth date, id number, address, phone)", tags=("PII",)),
        col("full_text", "string", "Toàn văn OCR các trang", "OCR full text of the pages", tags=("text", "PII")),
        *SILVER_AUDIT,
    ),
    key=("document_code",),
    tags=("restricted",),
    zone="restricted",
)

SILVER_QC_ISSUES = TableContract(
    layer="silver", name="qc_issues",
    vi="Vấn đề kiểm tra chất lượng theo quy tắc (thiếu số/ngày, ngày ngoài khoảng của hồ sơ, nghi sai chữ số, "
       "lệch số trang, trang OCR kém, cơ quan không rõ, ...), để bảng điều khiển đếm. Không chứa nội dung văn bản.",
    en="Quality-control issues by rule (missing number/date, date outside the record's range, digit suspect, "
       "page-count mismatch, low-quality OCR pages, unknown agency, ...) for the dashboards to count. No "
       "document content.",
    columns=(
        col("rule", "string", "Mã quy tắc", "Rule code", nullable=False),
        col("entity_type", "string", "Loại đối tượng: record, document, page, agency, file",
            "Entity type: record, document, page, agency, file", nullable=False),
        col("entity_id", "string", "Mã đối tượng", "Entity id", nullable=False),
        col("severity", "string", "Mức độ: error / warning / info", "Severity: error / warning / info",
            nullable=False),
        col("reason", "string", "Mô tả (không chứa nội dung văn bản)", "Reason (no document content)",
            nullable=False),
        col("expected", "string", "Giá trị mong đợi", "Expected value"),
        col("actual", "string", "Giá trị thực tế", "Actual value"),
        RECORD_CODE,
        col("document_code", "string", "Mã văn bản", "Document code"),
        AGENCY_CODE,
        DISTRICT_CODE,
        *SILVER_AUDIT,
    ),
    key=("rule", "entity_type", "entity_id"),
)

SILVER_TABLES: tuple[TableContract, ...] = (
    SILVER_LOCALITIES, SILVER_LOCALITY_MAPPING, SILVER_AGENCIES, SILVER_RECORDS, SILVER_DOCUMENTS,
    SILVER_DOCUMENT_PAGES, SILVER_RESTRICTED_DOCUMENTS, SILVER_QC_ISSUES,
)
