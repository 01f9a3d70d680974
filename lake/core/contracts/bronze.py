"""Bronze contracts: the lake's files and pages, the delivered tables, the official reference lists and the OCR
output, kept as delivered (strings from CSV/XLSX, with their source file and line); typing and conforming
happen in silver."""

from __future__ import annotations

from lake.core.contracts.columns import DISTRICT_CODE, LANDED, LINEAGE, RUN_ID, SOURCE_PATH_BYTES
from lake.core.contracts.model import CHANGE_FEED, Column, TableContract, col


def _tabular(layer: str, name: str, vi: str, en: str, fields: list[tuple[str, str, str, str] | Column],
             partition_by: tuple[str, ...] = (), tags: tuple[str, ...] = (),
             properties: dict[str, str] | None = None) -> TableContract:
    """A bronze table of rows from delivered CSV/XLSX files: every field a string as delivered. A field is
    (name, delivered header, vi, en), or a shared column whose header is its name."""
    cols = tuple(f.but(source=f.name) if isinstance(f, Column) else col(f[0], "string", f[2], f[3], source=f[1])
                 for f in fields)
    return TableContract(
        layer=layer, name=name, vi=vi, en=en, columns=cols + LINEAGE,
        key=("source_file", "source_sha256", "source_sheet", "source_line"), partition_by=partition_by,
        tags=tags, properties=dict(properties or {}),
    )


# ---------------------------------------------------------------------------------------------------
# bronze: files and pages
# ---------------------------------------------------------------------------------------------------
RAW_CONTENTS = TableContract(
    layer="bronze", name="raw_contents",
    vi="Nội dung tệp duy nhất (theo SHA-256) trong kho lưu trữ bản gốc bất biến, địa chỉ theo nội dung.",
    en="Unique file contents (by SHA-256) kept in the immutable content-addressed raw store.",
    columns=(
        col("sha256", "string", "Mã băm SHA-256 của nội dung", "SHA-256 of the bytes", nullable=False),
        col("size_bytes", "bigint", "Kích thước (byte)", "Size in bytes", nullable=False),
        col("detected_format", "string", "Định dạng nhận diện theo nội dung (jpeg, tiff, pdf, png, csv, xlsx)",
            "Format detected from the bytes (jpeg, tiff, pdf, png, csv, xlsx)", nullable=False),
        col("page_count", "int", "Số trang ảnh (với tệp quét)", "Number of page images (scan files)"),
        col("raw_path", "string", "Đường dẫn trong kho bản gốc, tương đối với thư mục gốc của hồ dữ liệu",
            "Path in the raw store, relative to the lake root", nullable=False),
        col("first_seen_run_id", "string", "Lần nạp đầu tiên thấy nội dung này", "Run that first saw this content",
            nullable=False),
        col("first_seen_at", "timestamp", "Thời điểm thấy lần đầu", "When first seen", nullable=False),
    ),
    key=("sha256",),
)

LANDING_FILES = TableContract(
    layer="bronze", name="landing_files",
    vi="Mỗi lần thấy một tệp trong vùng tiếp nhận (đường dẫn + nội dung); tệp đổi nội dung là phiên bản mới.",
    en="Every sighting of a landing-zone file (path + content); a changed file under the same path is a new "
       "version, the same bytes under two names are one content with two sightings.",
    columns=(
        col("source_path", "string", "Đường dẫn tương đối trong vùng tiếp nhận", "Path relative to the landing zone",
            nullable=False),
        col("sha256", "string", "SHA-256 của nội dung", "SHA-256 of the content", nullable=False),
        col("version", "int", "Phiên bản của đường dẫn (1, 2, ...)", "Version of this path (1, 2, ...)",
            nullable=False),
        col("file_kind", "string", "Loại tệp: scan, manifest, qc_log, inventory_records, inventory_documents, "
            "handover, registry", "File kind: scan, manifest, qc_log, inventory_records, inventory_documents, "
            "handover, registry", nullable=False),
        col("detected_format", "string", "Định dạng nhận diện theo nội dung", "Format detected from the bytes",
            nullable=False),
        col("size_bytes", "bigint", "Kích thước (byte)", "Size in bytes", nullable=False),
        col("modified_at", "timestamp", "Thời điểm sửa đổi của tệp", "File modification time", nullable=False),
        col("page_count", "int", "Số trang ảnh", "Number of page images"),
        col("batch_id", "string", "Lô quét", "Scan batch"),
        col("site_code", "string", "Điểm thi công", "Work site (điểm thi công)"),
        DISTRICT_CODE,
        col("agency_code", "string", "Mã cơ quan (theo bảng kê lô quét)", "Agency code (from the batch manifest)"),
        col("record_code", "string", "Mã hồ sơ (theo bảng kê lô quét)", "File (hồ sơ) code (from the manifest)"),
        col("scanned_at", "timestamp", "Thời điểm quét", "Scan time"),
        col("operator", "string", "Người quét", "Scan operator"),
        col("capture_device", "string", "Thiết bị chụp: scanner hoặc phone", "Capture device: scanner or phone"),
        col("declared_dpi", "int", "Độ phân giải khai báo (dpi)", "Declared resolution (dpi)"),
        col("file_metadata", "map<string,string>", "Siêu dữ liệu trong tệp (EXIF, thẻ TIFF, thông tin PDF)",
            "Metadata embedded in the file (EXIF, TIFF tags, PDF info)"),
        *LANDED,
        SOURCE_PATH_BYTES,
    ),
    key=("source_path", "sha256"),
    partition_by=("file_kind",),
    properties=dict(CHANGE_FEED),
)

SCAN_PAGES = TableContract(
    layer="bronze", name="scan_pages",
    vi="Mỗi trang ảnh của một nội dung tệp quét (theo SHA-256 và số thứ tự trang).",
    en="One row per page image of a scan content (by SHA-256 and page index).",
    columns=(
        col("sha256", "string", "SHA-256 của tệp chứa trang", "SHA-256 of the file holding the page", nullable=False),
        col("page_index", "int", "Số thứ tự trang trong tệp, từ 0", "Page index within the file, from 0",
            nullable=False),
        col("page_id", "string", "Mã trang: sha256:trang", "Page id: sha256:index", nullable=False),
        col("width_px", "int", "Chiều rộng (điểm ảnh)", "Width in pixels"),
        col("height_px", "int", "Chiều cao (điểm ảnh)", "Height in pixels"),
        col("dpi_x", "double", "Độ phân giải ngang ghi trong tệp", "Horizontal resolution recorded in the file"),
        col("dpi_y", "double", "Độ phân giải dọc ghi trong tệp", "Vertical resolution recorded in the file"),
        col("color_mode", "string", "Chế độ màu (RGB, L, 1, ...)", "Colour mode (RGB, L, 1, ...)"),
        col("detected_format", "string", "Định dạng của tệp chứa trang", "Format of the containing file",
            nullable=False),
        *LANDED,
    ),
    key=("sha256", "page_index"),
)

QUARANTINE = TableContract(
    layer="bronze", name="quarantine",
    vi="Đầu vào lỗi bị cách ly, kèm lý do và lần chạy; phần còn lại của lần chạy vẫn tiếp tục.",
    en="Bad inputs held back with the reason and the run; the rest of the run goes on.",
    columns=(
        col("stage", "string", "Bước xử lý phát hiện lỗi (ingest, ocr, ...)", "Stage that found the problem",
            nullable=False),
        col("source_path", "string", "Đường dẫn tệp trong vùng tiếp nhận", "Landing-zone path", nullable=False),
        col("sha256", "string", "SHA-256 của nội dung", "SHA-256 of the content", nullable=False),
        col("item", "string", "Phần tử lỗi trong tệp (trang, dòng) hoặc rỗng nếu cả tệp",
            "Failing item inside the file (page, line), empty for the whole file", nullable=False),
        col("size_bytes", "bigint", "Kích thước (byte)", "Size in bytes"),
        col("reason_code", "string", "Mã lý do (empty_file, unknown_format, truncated_image, encrypted_pdf, "
            "...)", "Reason code (empty_file, unknown_format, truncated_image, encrypted_pdf, ...)",
            nullable=False),
        col("reason", "string", "Mô tả lỗi", "Error message", nullable=False),
        col("raw_path", "string", "Bản gốc được giữ lại trong kho bản gốc", "Raw-store copy kept as evidence"),
        col("run_id", "string", "Lần chạy phát hiện", "Run that found it", nullable=False),
        col("detected_at", "timestamp", "Thời điểm phát hiện", "When found", nullable=False),
        col("modified_at", "timestamp", "Thời điểm sửa đổi của tệp (để lần chạy sau bỏ qua mà không đọc lại)",
            "File modification time (so the next run skips it without reading it again)"),
        SOURCE_PATH_BYTES,
    ),
    key=("stage", "source_path", "sha256", "item"),
)

PDF_SIGNATURES = TableContract(
    layer="bronze", name="pdf_signatures",
    vi="Chữ ký số trong tệp PDF được giao (bản sao y điện tử): người ký, thời điểm ký, chữ ký còn bao trùm tệp.",
    en="Digital signatures found in delivered PDFs (e-government certified copies): signer, signing time, whether "
       "the signature still covers the file. Read with pyHanko; the signer's certificate is not checked against "
       "a trust list here.",
    columns=(
        col("sha256", "string", "SHA-256 của tệp PDF", "SHA-256 of the PDF", nullable=False),
        col("signature_index", "int", "Thứ tự chữ ký trong tệp, từ 0", "Signature index in the file, from 0",
            nullable=False),
        col("field_name", "string", "Tên trường chữ ký", "Signature field name"),
        col("signer", "string", "Người/cơ quan ký (chủ thể chứng thư)", "Signer (certificate subject)"),
        col("issuer", "string", "Tổ chức cấp chứng thư", "Certificate issuer"),
        col("signed_at", "timestamp", "Thời điểm ký (do bên ký ghi)", "Signing time (as stated by the signer)"),
        col("intact", "boolean", "Nội dung được ký chưa bị sửa (băm khớp)", "The signed bytes are unchanged "
            "(digest matches)"),
        col("valid", "boolean", "Chữ ký toán học hợp lệ với chứng thư", "The cryptographic signature verifies "
            "against the signer's certificate"),
        col("coverage", "string", "Phạm vi bao trùm: entire_file, entire_revision, contiguous_block_from_start, "
            "unclear", "What the signature covers: entire_file, entire_revision, contiguous_block_from_start, "
            "unclear"),
        col("covers_file", "boolean", "Chữ ký bao trùm toàn bộ tệp (không có sửa đổi sau khi ký)",
            "The signature covers the whole file (nothing was added after signing)"),
        col("problem", "string", "Lý do không đọc/kiểm tra được chữ ký", "Why the signature could not be read "
            "or checked"),
        *LANDED,
    ),
    key=("sha256", "signature_index"),
    freshness=False,
)

# ---------------------------------------------------------------------------------------------------
# bronze: delivered tables (manifests, QC logs, inventories, handover reports, agency register)
# ---------------------------------------------------------------------------------------------------
BATCH_MANIFESTS = _tabular(
    "bronze", "batch_manifests",
    "Bảng kê lô quét do điểm thi công giao kèm ảnh quét, nguyên trạng.",
    "Scan batch manifests delivered by the work sites with the scans, as delivered.",
    [
        ("batch_id", "batch_id", "Mã lô quét", "Scan batch id"),
        ("site_code", "site_code", "Mã điểm thi công", "Work site code"),
        ("site_name", "site_name", "Tên điểm thi công", "Work site name"),
        DISTRICT_CODE,
        ("agency_code", "agency_code", "Mã cơ quan", "Agency code"),
        ("record_code", "record_code", "Mã hồ sơ", "File (hồ sơ) code"),
        ("file_name", "file_name", "Tên tệp quét", "Scan file name"),
        ("file_format", "file_format", "Định dạng khai báo", "Declared format"),
        ("page_count", "page_count", "Số trang khai báo", "Declared page count"),
        ("dpi", "dpi", "Độ phân giải khai báo", "Declared dpi"),
        ("capture_device", "capture_device", "Thiết bị chụp", "Capture device"),
        ("scanned_at", "scanned_at", "Thời điểm quét (ISO 8601)", "Scan time (ISO 8601)"),
        ("operator", "operator", "Người quét", "Operator"),
    ],
)

QC_LOGS = _tabular(
    "bronze", "qc_logs",
    "Nhật ký kiểm tra chất lượng ảnh quét tại điểm thi công.",
    "Work-site quality-control log of the scans.",
    [
        ("batch_id", "batch_id", "Mã lô quét", "Scan batch id"),
        ("file_name", "file_name", "Tên tệp", "File name"),
        ("checked_at", "checked_at", "Thời điểm kiểm tra", "Checked at"),
        ("inspector", "inspector", "Người kiểm tra", "Inspector"),
        ("result", "result", "Kết quả (dat / khong_dat)", "Result (dat = passed / khong_dat = failed)"),
        ("note", "note", "Ghi chú", "Note"),
    ],
)

INVENTORY_RECORDS = _tabular(
    "bronze", "inventory_records",
    "Mục lục hồ sơ do điểm thi công lập sau chỉnh lý (các trường theo Thông tư 02/2019/TT-BNV), nguyên trạng.",
    "File inventories (mục lục hồ sơ) produced by arrangement, with the Circular 02/2019 fields, as delivered.",
    [
        ("stt", "STT", "Số thứ tự", "Row number"),
        ("record_code", "Mã hồ sơ", "Mã hồ sơ", "File code"),
        ("archive_code", "Mã cơ quan lưu trữ", "Mã cơ quan lưu trữ", "Archive code"),
        ("fonds_code", "Mã phông", "Mã phông", "Fonds code"),
        ("inventory_no", "Mục lục số", "Mục lục số", "Inventory number"),
        ("year_formed", "Năm hình thành", "Năm hình thành hồ sơ", "Year the file was formed"),
        ("file_number_symbol", "Số và ký hiệu hồ sơ", "Số và ký hiệu hồ sơ", "File number and symbol"),
        ("title", "Tiêu đề hồ sơ", "Tiêu đề hồ sơ", "File title"),
        ("retention", "Thời hạn bảo quản", "Thời hạn bảo quản", "Retention period"),
        ("access_regime", "Chế độ sử dụng", "Chế độ sử dụng", "Access regime"),
        ("language", "Ngôn ngữ", "Ngôn ngữ", "Language"),
        ("start_date", "Thời gian bắt đầu", "Thời gian bắt đầu", "Start date"),
        ("end_date", "Thời gian kết thúc", "Thời gian kết thúc", "End date"),
        ("document_count", "Tổng số văn bản", "Tổng số văn bản", "Number of documents"),
        ("sheet_count", "Số lượng tờ", "Số lượng tờ", "Number of sheets"),
        ("page_count", "Số lượng trang", "Số lượng trang", "Number of pages"),
        ("info_symbol", "Ký hiệu thông tin", "Ký hiệu thông tin", "Information symbol"),
        ("keywords", "Từ khóa", "Từ khóa", "Keywords"),
        ("physical_state", "Tình trạng vật lý", "Tình trạng vật lý", "Physical condition"),
        ("notes", "Chú giải", "Chú giải", "Notes"),
        ("box_number", "Hộp số", "Hộp số (vị trí bảo quản)", "Box number (storage location)"),
        ("priority_group", "Nhóm ưu tiên", "Nhóm ưu tiên số hóa", "Digitization priority group"),
        ("arranged_on", "Ngày chỉnh lý xong", "Ngày hoàn thành chỉnh lý", "Arrangement completion date"),
    ],
    properties=dict(CHANGE_FEED),
)

INVENTORY_DOCUMENTS = _tabular(
    "bronze", "inventory_documents",
    "Mục lục văn bản trong hồ sơ (khi điểm thi công lập), cho biết ranh giới văn bản theo trang.",
    "Document-level inventories (when a site made one), giving document boundaries by page.",
    [
        ("record_code", "Mã hồ sơ", "Mã hồ sơ", "File code"),
        ("order_in_record", "STT văn bản trong hồ sơ", "Số thứ tự văn bản trong hồ sơ", "Order in the file"),
        ("number_symbol", "Số và ký hiệu", "Số và ký hiệu văn bản", "Document number and symbol"),
        ("document_date", "Ngày tháng văn bản", "Ngày tháng văn bản", "Document date"),
        ("type_name", "Tên loại", "Tên loại văn bản", "Document type"),
        ("subject", "Trích yếu", "Trích yếu nội dung", "Subject"),
        ("author", "Tác giả", "Tác giả (cơ quan ban hành)", "Author (issuing body)"),
        ("first_page", "Tờ số/Trang bắt đầu", "Tờ số / trang bắt đầu (trong hồ sơ)",
         "First sheet/page (within the file)"),
        ("last_page", "Trang kết thúc", "Trang kết thúc", "Last page"),
        ("file_name", "Tên tệp", "Tên tệp quét", "Scan file name"),
    ],
    properties=dict(CHANGE_FEED),
)

HANDOVER_REPORTS = _tabular(
    "bronze", "handover_reports",
    "Biên bản bàn giao tài liệu của cơ quan cho điểm thi công, nguyên trạng.",
    "Handover reports of the agencies' records to the work sites, as delivered.",
    [
        ("report_no", "Số biên bản", "Số biên bản", "Report number"),
        ("agency_code", "Mã cơ quan", "Mã cơ quan", "Agency code"),
        ("agency_name", "Tên cơ quan", "Tên cơ quan", "Agency name"),
        ("fonds_code", "Mã phông", "Mã phông", "Fonds code"),
        ("handover_date", "Ngày bàn giao", "Ngày bàn giao", "Handover date"),
        ("box_count", "Số hộp", "Số hộp", "Number of boxes"),
        ("file_count", "Số hồ sơ", "Số hồ sơ", "Number of files"),
        ("shelf_metres", "Số mét giá", "Số mét giá", "Metres of shelf"),
        ("handed_by", "Bên giao", "Bên giao", "Handed over by"),
        ("received_by", "Bên nhận", "Bên nhận", "Received by"),
        ("site", "Điểm thi công", "Điểm thi công", "Work site"),
    ],
)

AGENCY_REGISTER = _tabular(
    "bronze", "agency_register",
    "Danh mục cơ quan, tổ chức thuộc phạm vi đề án (khối Đảng, chính quyền, đoàn thể; cấp huyện và xã).",
    "Register of the agencies in scope (Party, government, mass organisations; district and commune level).",
    [
        ("agency_code", "agency_code", "Mã cơ quan", "Agency code"),
        ("agency_name", "agency_name", "Tên cơ quan", "Agency name"),
        ("level", "level", "Cấp (huyen / xa)", "Level (huyen = district, xa = commune)"),
        ("block", "block", "Khối (dang / chinh_quyen / doan_the)", "Block (Party / government / mass org.)"),
        DISTRICT_CODE,
        ("district_name", "district_name", "Tên quận/huyện cũ", "Old district name"),
        ("commune_code", "commune_code", "Mã xã/phường cũ", "Old commune code"),
        ("commune_name", "commune_name", "Tên xã/phường cũ", "Old commune name"),
        ("fonds_code", "fonds_code", "Mã phông", "Fonds code"),
        ("archive_code", "archive_code", "Mã cơ quan lưu trữ", "Archive code"),
        ("site_code", "site_code", "Điểm thi công", "Work site"),
    ],
)

# ---------------------------------------------------------------------------------------------------
# bronze: official reference lists (read from the configured reference directory)
# ---------------------------------------------------------------------------------------------------
REF_OLD_DISTRICTS = _tabular(
    "bronze", "ref_old_districts",
    "Danh mục 30 đơn vị hành chính cấp huyện của Hà Nội trước 1/7/2025 (Cục Thống kê, 4/1/2025).",
    "The 30 district-level units of Hà Nội before 1 Jul 2025 (statistics office list of 4 Jan 2025).",
    [
        ("district_code", "district_code", "Mã quận/huyện", "District code"),
        ("district_name", "district_name", "Tên quận/huyện", "District name"),
        ("district_type", "district_type", "Loại (Quận, Huyện, Thị xã)", "Type (urban, rural, town)"),
        ("n_communes", "n_communes", "Số đơn vị cấp xã", "Number of communes"),
        ("n_phuong", "n_phuong", "Số phường", "Number of wards"),
        ("n_xa", "n_xa", "Số xã", "Number of rural communes"),
        ("n_thi_tran", "n_thi_tran", "Số thị trấn", "Number of townships"),
    ],
)

REF_OLD_COMMUNES = _tabular(
    "bronze", "ref_old_communes",
    "Danh mục 526 đơn vị hành chính cấp xã trước sắp xếp (4/1/2025).",
    "The 526 commune-level units before the merger (list of 4 Jan 2025).",
    [
        ("province_code", "province_code", "Mã tỉnh", "Province code"),
        ("province_name", "province_name", "Tên tỉnh", "Province name"),
        ("district_code", "district_code", "Mã quận/huyện", "District code"),
        ("district_name", "district_name", "Tên quận/huyện", "District name"),
        ("ward_code", "ward_code", "Mã xã/phường", "Commune code"),
        ("ward_name", "ward_name", "Tên xã/phường", "Commune name"),
        ("level", "level", "Cấp (Phường, Xã, Thị trấn)", "Level"),
    ],
)

REF_NEW_COMMUNES = _tabular(
    "bronze", "ref_new_communes",
    "Danh mục 126 đơn vị hành chính cấp xã từ 1/7/2025 (Nghị quyết 1656/NQ-UBTVQH15).",
    "The 126 commune-level units from 1 Jul 2025 (Resolution 1656/NQ-UBTVQH15).",
    [
        ("province_code", "province_code", "Mã tỉnh", "Province code"),
        ("province_name", "province_name", "Tên tỉnh", "Province name"),
        ("ward_code", "ward_code", "Mã xã/phường mới", "New commune code"),
        ("ward_name", "ward_name", "Tên xã/phường mới", "New commune name"),
        ("level", "level", "Cấp (Phường, Xã)", "Level"),
    ],
)

REF_COMMUNE_CONVERSION = _tabular(
    "bronze", "ref_commune_conversion",
    "Bảng chuyển đổi đơn vị hành chính cũ – mới (nhiều – nhiều, có chuyển một phần).",
    "Official old-to-new commune conversion table (many-to-many, with partial transfers).",
    [
        ("new_ward_code", "new_ward_code", "Mã xã mới theo bảng chuyển đổi", "New commune code in the table"),
        ("new_ward_name", "new_ward_name", "Tên xã mới", "New commune name"),
        ("old_ward_code", "old_ward_code", "Mã xã cũ", "Old commune code"),
        ("old_ward_name", "old_ward_name", "Tên xã cũ", "Old commune name"),
        ("old_ward_level", "old_ward_level", "Cấp xã cũ", "Old commune level"),
        ("old_district_code", "old_district_code", "Mã huyện cũ", "Old district code"),
        ("old_district_name", "old_district_name", "Tên huyện cũ", "Old district name"),
        ("merge_note_vi", "merge_note_vi", "Ghi chú sắp xếp (nguyên văn)", "Official merger wording"),
        ("is_partial", "is_partial", "Chỉ chuyển một phần", "Only part of the old unit transferred"),
    ],
)

# ---------------------------------------------------------------------------------------------------
# bronze: OCR output (machine output of the engine, before any interpretation)
# ---------------------------------------------------------------------------------------------------
WORD_TYPE = ("array<struct<text:string,confidence:double,left:int,top:int,width:int,height:int,"
             "line:int,block:int,paragraph:int>>")

OCR_PAGES = TableContract(
    layer="bronze", name="ocr_pages",
    vi="Kết quả nhận dạng ký tự (OCR, tiếng Việt) của mỗi trang: văn bản, hộp chữ, chất lượng, cấu hình máy.",
    en="OCR result (Vietnamese) of every page: text, word boxes, quality, engine configuration. One current "
       "row per page; a deliberate re-read (--reprocess) updates it and Delta history keeps the earlier one.",
    columns=(
        col("page_id", "string", "Mã trang (sha256:trang)", "Page id (sha256:index)", nullable=False),
        col("sha256", "string", "SHA-256 của tệp quét", "SHA-256 of the scan file", nullable=False),
        col("page_index", "int", "Số thứ tự trang trong tệp, từ 0", "Page index in the file, from 0", nullable=False),
        col("config_id", "string", "Mã cấu hình máy OCR (phiên bản, dữ liệu ngôn ngữ, psm, tiền xử lý)",
            "OCR configuration id (engine version, language data, psm, preparation)", nullable=False),
        col("engine_version", "string", "Phiên bản Tesseract", "Tesseract version", nullable=False),
        col("tessdata_sha256", "string", "SHA-256 của dữ liệu ngôn ngữ vie", "SHA-256 of the vie language data",
            nullable=False),
        col("language", "string", "Ngôn ngữ nhận dạng", "Recognition language", nullable=False),
        col("psm", "int", "Chế độ phân đoạn trang", "Page segmentation mode", nullable=False),
        col("text", "string", "Văn bản nhận dạng (Unicode NFC)", "Recognised text (Unicode NFC)"),
        col("corrected_text", "string", "Văn bản sau hiệu đính tự động (dấu thanh theo từ điển chuyên ngành); "
            "văn bản gốc giữ ở cột text",
            "Text after post-OCR correction (lake.domain.ocr.correct: tone marks from the "
            "domain lexicon, case, invalid syllables); the raw OCR text stays in text"),
        col("words", WORD_TYPE, "Các từ: chữ, độ tin cậy, hộp bao (điểm ảnh của ảnh gốc), dòng, khối",
            "Words: text, confidence, bounding box (original image pixels), line, block"),
        col("mean_confidence", "double", "Độ tin cậy trung bình của từ (0–100)", "Mean word confidence (0-100)"),
        col("char_count", "int", "Số ký tự (không tính khoảng trắng)", "Characters (excluding whitespace)",
            nullable=False),
        col("word_count", "int", "Số từ", "Words", nullable=False),
        col("preparation_steps", "array<string>", "Các bước tiền xử lý ảnh đã làm",
            "Image preparation steps applied"),
        col("pass_used", "string", "Lượt nhận dạng được giữ (primary hoặc lượt phục hồi)",
            "Recognition pass kept (primary or a recovery pass)", nullable=False),
        col("passes_tried", "array<string>", "Các lượt đã thử", "Passes tried"),
        col("effective_dpi", "double", "Độ phân giải thực ước tính của ảnh gốc", "Estimated effective resolution"),
        col("skew_deg", "double", "Độ nghiêng đã chỉnh (độ)", "Skew corrected (degrees)"),
        col("width_px", "int", "Chiều rộng ảnh gốc", "Original image width"),
        col("height_px", "int", "Chiều cao ảnh gốc", "Original image height"),
        col("quality_class", "string", "Hạng chất lượng: good / suspect / bad", "Quality class: good / suspect / bad",
            nullable=False),
        col("quality_reasons", "array<string>", "Lý do gắn cờ chất lượng", "Quality flag reasons"),
        col("valid_syllable_share", "double", "Tỉ lệ âm tiết tiếng Việt hợp lệ", "Share of valid Vietnamese syllables"),
        col("garbage_share", "double", "Tỉ lệ ký tự rác", "Share of garbage characters"),
        col("duration_s", "double", "Thời gian nhận dạng (giây)", "Recognition time (seconds)"),
        RUN_ID,
        col("recognised_at", "timestamp", "Thời điểm nhận dạng", "When recognised", nullable=False),
    ),
    key=("page_id",),
    properties=dict(CHANGE_FEED),
)

OCR_QC_QUEUE = TableContract(
    layer="bronze", name="ocr_qc_queue",
    vi="Hàng đợi kiểm tra: các trang OCR bị gắn cờ chất lượng, kèm lý do, chờ người kiểm tra xem lại.",
    en="QC queue: OCR pages flagged for quality, with the reasons, waiting for a reviewer.",
    columns=(
        col("page_id", "string", "Mã trang", "Page id", nullable=False),
        col("config_id", "string", "Cấu hình OCR đã gắn cờ", "OCR configuration that flagged it", nullable=False),
        col("sha256", "string", "SHA-256 của tệp quét", "SHA-256 of the scan file", nullable=False),
        col("page_index", "int", "Số thứ tự trang", "Page index", nullable=False),
        col("quality_class", "string", "Hạng chất lượng", "Quality class", nullable=False),
        col("reasons", "array<string>", "Lý do", "Reasons", nullable=False),
        col("reason", "string", "Mô tả lý do", "Reason text", nullable=False),
        RUN_ID,
        col("queued_at", "timestamp", "Thời điểm đưa vào hàng đợi", "When queued", nullable=False),
    ),
    key=("page_id", "config_id"),
)

ACCESS_COPIES = TableContract(
    layer="bronze", name="access_copies",
    vi="Bản khai thác: PDF có lớp chữ ẩn tìm kiếm được (PDF/A-2b) cho mỗi tệp quét, lưu trong hồ dữ liệu.",
    en="Access copies: a searchable PDF (page images + invisible text layer, PDF/A-2b) per scan file.",
    columns=(
        col("sha256", "string", "SHA-256 của tệp quét gốc", "SHA-256 of the source scan file", nullable=False),
        col("config_id", "string", "Cấu hình OCR tạo lớp chữ", "OCR configuration of the text layer", nullable=False),
        col("pdf_path", "string", "Đường dẫn PDF, tương đối với thư mục gốc", "PDF path relative to the lake root",
            nullable=False),
        col("pdf_sha256", "string", "SHA-256 của PDF", "SHA-256 of the PDF", nullable=False),
        col("size_bytes", "bigint", "Kích thước PDF", "PDF size in bytes", nullable=False),
        col("page_count", "int", "Số trang", "Pages", nullable=False),
        col("pdfa", "string", "Mức PDF/A (nếu có)", "PDF/A level (when written)"),
        RUN_ID,
        col("created_at", "timestamp", "Thời điểm tạo", "When created", nullable=False),
    ),
    key=("sha256", "config_id"),
)
BRONZE_TABLES: tuple[TableContract, ...] = (
    RAW_CONTENTS, LANDING_FILES, SCAN_PAGES, QUARANTINE, PDF_SIGNATURES,
    BATCH_MANIFESTS, QC_LOGS, INVENTORY_RECORDS, INVENTORY_DOCUMENTS, HANDOVER_REPORTS, AGENCY_REGISTER,
    REF_OLD_DISTRICTS, REF_OLD_COMMUNES, REF_NEW_COMMUNES, REF_COMMUNE_CONVERSION,
)
OCR_TABLES: tuple[TableContract, ...] = (OCR_PAGES, OCR_QC_QUEUE, ACCESS_COPIES)
