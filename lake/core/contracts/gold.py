"""Gold contracts: the dbt marts (`transformations/models/marts/`), built by dbt, not by the Spark jobs.

Each contract is a mart's schema, its key and its dbt tests (lake.core.contracts.model): `lakehouse
dbt-sources` writes the marts' YAML from them (`lake.apps.dbt_sources`), the restricted-data test reads their
list, and the gold tests check the built marts against them. A column that is a silver column carried through
keeps the silver declaration (`_silver`).
"""

from __future__ import annotations

from lake.core.contracts.bronze import OCR_PAGES
from lake.core.contracts.columns import AGENCY_CODE, DISTRICT_CODE, RECORD_CODE, same
from lake.core.contracts.model import Column, TableContract, col
from lake.core.contracts.silver import (
    SILVER_AGENCIES,
    SILVER_DOCUMENT_PAGES,
    SILVER_DOCUMENTS,
    SILVER_LOCALITIES,
    SILVER_RECORDS,
)


def _silver(contract: TableContract, *names: str) -> tuple[Column, ...]:
    """Columns carried unchanged from an upstream table; a mart column is NOT NULL only where it says so (a
    not_null test)."""
    return tuple(c.but(nullable=True) for c in same(contract.columns, *names))


# --- columns several marts share -------------------------------------------------------------------
LOCALITY_KEY = "dim_locality.locality_key"
DOCUMENT_CODE = col("document_code", "string", "Mã văn bản", "Document code", nullable=False,
                    references="fct_documents.document_code")
DISTRICT_LOCALITY = col("locality_key", "string", "Quận/huyện cũ", "Old district")
AGENCY_LEVEL = col("agency_level", "string", "Cấp", "Level")
BLOCK = col("block", "string", "Khối", "Block")
PRIORITY_GROUP = col("priority_group", "int", "Nhóm ưu tiên số hóa", "Digitization priority group")
STAGE = col("stage", "string", "Bước: bàn giao, chỉnh lý, quét, nhận dạng, kiểm tra đạt, nạp", "Stage")
STAGE_ORDER = col("stage_order", "int", "Thứ tự của bước (1 = bàn giao … 6 = nạp)",
                  "Order of the stage (1 = handed over … 6 = loaded)")
DEADLINE = col("deadline", "date", "Thời hạn", "Deadline")
DAYS_TO_DEADLINE = col("days_to_deadline", "int", "Số ngày đến hạn (âm: đã quá hạn)",
                       "Days to the deadline (negative: passed)")
PLANNED = (
    col("planned_records", "int", "Số hồ sơ kế hoạch", "Planned records"),
    col("planned_pages", "int", "Số trang kế hoạch", "Planned pages"),
)
PAGES_LAST_14_DAYS = col("pages_last_14_days", "int", "Số trang đạt bước trong 14 ngày gần nhất",
                         "Pages that reached the stage in the last 14 days")
PACE = col("pace_pages_per_day", "double", "Tốc độ 14 ngày gần nhất (trang/ngày)", "Pace of the last 14 days")
TYPE_KEY = col("type_key", "string", "Loại văn bản", "Document type", references="dim_document_type.type_key")


# --- dimensions ------------------------------------------------------------------------------------
DIM_LOCALITY = TableContract(
    layer="gold", name="dim_locality",
    vi="Đơn vị hành chính Hà Nội: quận/huyện cũ, xã/phường cũ (hiệu lực đến 30/6/2025) và xã/phường mới (từ "
       "1/7/2025), với xã mới kế nhiệm chính của mỗi xã cũ.",
    en="Hà Nội units: old districts and old communes (valid to 30 Jun 2025), new communes (from 1 Jul 2025), with "
       "each old commune's primary successor.",
    columns=(
        col("locality_key", "string", "Khóa đơn vị: loại:mã (old_district:001)", "Unit key: kind:code",
            nullable=False),
        col("unit_kind", "string", "Loại đơn vị", "Unit kind", nullable=False,
            accepted_values=("old_district", "old_commune", "new_commune")),
        *_silver(SILVER_LOCALITIES, "unit_code", "unit_name", "unit_level", "district_code", "district_name"),
        col("valid_from", "date", "Hiệu lực từ", "Valid from"),
        col("valid_to", "date", "Hiệu lực đến (null nếu còn hiệu lực)", "Valid to (null when current)"),
        col("is_current", "boolean", "Còn hiệu lực (valid_to trống)", "Current (no valid_to)"),
        col("successor_commune_code", "string", "Mã xã mới kế nhiệm chính (xã cũ)",
            "Code of the primary successor new commune (old communes)"),
        col("successor_locality_key", "string", "Xã mới kế nhiệm chính (xã cũ)",
            "Primary successor new commune (old communes)", references=LOCALITY_KEY),
    ),
    key=("locality_key",),
)

DIM_AGENCY = TableContract(
    layer="gold", name="dim_agency",
    vi="Cơ quan: cấp (huyện/xã), khối (Đảng, chính quyền, đoàn thể), địa bàn trước 1/7/2025 và cơ quan giữ hồ sơ "
       "sau đó.",
    en="Agencies: level, block, locality before 1 Jul 2025 and successor custodian after it.",
    columns=(
        AGENCY_CODE.but(nullable=False),
        *_silver(SILVER_AGENCIES, "agency_name", "in_register"),
        AGENCY_LEVEL.but(accepted_values=("district", "commune", "unknown")),
        BLOCK.but(accepted_values=("party", "government", "mass", "unknown")),
        *_silver(SILVER_AGENCIES, "district_code", "commune_code"),
        col("locality_key", "string", "Địa bàn trước 1/7/2025", "Locality before 1 Jul 2025",
            references=LOCALITY_KEY),
        *_silver(SILVER_AGENCIES, "archive_code", "fonds_code", "site_code", "custodian_name", "custodian_level",
                 "custodian_commune_code"),
        col("custodian_locality_key", "string", "Xã mới giữ hồ sơ hoặc đầu mối",
            "New commune holding the records or point of contact", references=LOCALITY_KEY),
        *_silver(SILVER_AGENCIES, "handover_date", "handover_file_count", "handover_box_count"),
    ),
    key=("agency_code",),
)

DIM_DOCUMENT_TYPE = TableContract(
    layer="gold", name="dim_document_type",
    vi="Loại văn bản theo NĐ 30/2020 và HD 36.",
    en="Document types of Decree 30/2020 and Guide 36.",
    columns=(
        col("type_key", "string", "Khóa loại (viết tắt; none = công văn; unknown)",
            "Type key (abbreviation; none = official letter; unknown)", nullable=False),
        col("type_abbr", "string", "Viết tắt tên loại (trống: công văn)", "Type abbreviation (empty: official letter)"),
        col("type_name", "string", "Tên loại văn bản", "Document type name"),
        col("type_name_en", "string", "Tên loại bằng tiếng Anh", "Document type name in English"),
        col("party_only", "boolean", "Chỉ dùng trong khối Đảng (HD 36)", "Used by Party bodies only (Guide 36)"),
    ),
    key=("type_key",),
)

DIM_DATE = TableContract(
    layer="gold", name="dim_date",
    vi="Lịch ngày 1945–2030 với mốc của đề án.",
    en="Calendar 1945–2030 with the programme's milestones.",
    columns=(
        col("date_day", "date", "Ngày", "Day", nullable=False),
        col("date_key", "int", "Khóa ngày yyyymmdd", "Day key yyyymmdd"),
        col("year", "int", "Năm", "Year"),
        col("quarter", "int", "Quý", "Quarter"),
        col("month", "int", "Tháng", "Month"),
        col("day_of_month", "int", "Ngày trong tháng", "Day of the month"),
        col("day_of_week", "int", "Thứ trong tuần (1 = Chủ nhật)", "Day of the week (1 = Sunday)"),
        col("day_name_en", "string", "Tên thứ (tiếng Anh)", "Weekday name"),
        col("iso_week", "int", "Tuần ISO", "ISO week"),
        col("is_weekend", "boolean", "Thứ bảy hoặc Chủ nhật", "Saturday or Sunday"),
        col("is_after_reorganisation", "boolean", "Từ ngày sắp xếp đơn vị hành chính (1/7/2025)",
            "On or after the locality reorganisation (1 Jul 2025)"),
        col("is_in_programme", "boolean", "Từ ngày bắt đầu đề án (5/6/2025)",
            "On or after the programme's first day (5 Jun 2025)"),
    ),
    key=("date_day",),
)

DIM_RETENTION = TableContract(
    layer="gold", name="dim_retention",
    vi="Thời hạn bảo quản (vĩnh viễn hoặc số năm).",
    en="Retention periods (permanent or years).",
    columns=(
        col("retention_key", "string", "Khóa thời hạn bảo quản", "Retention key", nullable=False),
        col("is_permanent", "boolean", "Bảo quản vĩnh viễn", "Kept permanently"),
        col("retention_years", "int", "Số năm bảo quản (null nếu vĩnh viễn)", "Retention years (null if permanent)"),
        col("label_vi", "string", "Nhãn tiếng Việt", "Vietnamese label"),
        col("label_en", "string", "Nhãn tiếng Anh", "English label"),
        col("in_scope_2025", "boolean", "Thuộc phạm vi số hóa năm 2025 (vĩnh viễn)",
            "In the 2025 digitization scope (permanent)"),
    ),
    key=("retention_key",),
)

# --- facts -----------------------------------------------------------------------------------------
FCT_RECORDS = TableContract(
    layer="gold", name="fct_records",
    vi="Mỗi hồ sơ: cơ quan, địa bàn, thời hạn bảo quản, nhóm ưu tiên, số văn bản và số trang (mục lục, quét, OCR). "
       "Không có văn bản tự do.",
    en="One row per record: agency, locality, retention, priority, document and page counts. No free text.",
    columns=(
        RECORD_CODE.but(nullable=False),
        AGENCY_CODE.but(nullable=False, references="dim_agency.agency_code"),
        *_silver(SILVER_RECORDS, "district_code"),
        DISTRICT_LOCALITY.but(name="district_locality_key", references=LOCALITY_KEY),
        col("locality_key", "string", "Địa bàn của cơ quan (dim_agency)", "The agency's locality (dim_agency)"),
        col("retention_key", "string", "Thời hạn bảo quản", "Retention", references="dim_retention.retention_key"),
        PRIORITY_GROUP.but(vi="Nhóm ưu tiên (1, 2, 3)", en="Priority group (1, 2, 3)", accepted_values=(1, 2, 3)),
        *_silver(SILVER_RECORDS, "archive_code", "fonds_code", "inventory_no", "year_formed", "file_number_symbol",
                 "access_regime", "language", "start_date", "end_date", "box_number", "document_count_inventory",
                 "document_count_found", "sheet_count", "page_count_inventory", "page_count_scanned",
                 "page_count_ocr", "page_count_match", "arranged_on", "first_scanned_at", "has_restricted_documents",
                 "updated_at"),
    ),
    key=("record_code",),
)

FCT_DOCUMENTS = TableContract(
    layer="gold", name="fct_documents",
    vi="Mỗi văn bản (tăng dần, merge theo document_code). Văn bản mật hoặc có dữ liệu cá nhân chỉ có cột không "
       "phải văn bản; không có người ký.",
    en="One row per document (incremental merge on document_code). Restricted documents keep only non-text "
       "columns; no signer.",
    columns=(
        col("document_code", "string", "Mã định danh văn bản", "Document code", nullable=False),
        RECORD_CODE.but(nullable=False, references="fct_records.record_code"),
        AGENCY_CODE.but(nullable=False, references="dim_agency.agency_code"),
        DISTRICT_CODE,
        TYPE_KEY.but(nullable=False),
        *_silver(SILVER_DOCUMENTS, "order_in_record", "first_page", "last_page", "page_count", "boundary_source",
                 "layout", "number", "symbol", "issuer_abbr", "document_date", "issuer", "subject", "urgency",
                 "ocr_quality", "mean_ocr_confidence"),
        col("is_restricted", "boolean", "Hạn chế (mật hoặc dữ liệu cá nhân)",
            "Restricted (classified or personal data)", nullable=False),
        *_silver(SILVER_DOCUMENTS, "updated_at"),
    ),
    key=("document_code",),
)

FCT_PAGES = TableContract(
    layer="gold", name="fct_pages",
    vi="Mỗi trang của kho dữ liệu dùng chung (tăng dần, merge theo page_id): văn bản, hồ sơ, quét, OCR, kiểm tra.",
    en="One row per page of the shared dataset (incremental merge on page_id): document, record, scan, OCR, QC.",
    columns=(
        col("page_id", "string", "Mã trang", "Page id", nullable=False),
        DOCUMENT_CODE,
        RECORD_CODE,
        AGENCY_CODE,
        DISTRICT_CODE,
        *_silver(SILVER_DOCUMENT_PAGES, "page_in_record", "page_in_document", "sha256", "page_index", "source_path",
                 "capture_device", "declared_dpi", "ocr_config_id"),
        col("quality_class", "string", "Chất lượng OCR", "OCR quality",
            accepted_values=("good", "suspect", "bad", "missing")),
        col("ocr_mean_confidence", "double", "Độ tin cậy trung bình của từ (0–100)",
            "Mean OCR word confidence (0-100)"),
        col("ocr_char_count", "int", "Số ký tự OCR (không tính khoảng trắng)", "OCR characters (excluding whitespace)"),
        *_silver(OCR_PAGES, "effective_dpi"),
        col("scanned_at", "timestamp", "Thời điểm quét", "Scan time"),
        *_silver(OCR_PAGES, "recognised_at"),
        col("qc_passed_at", "timestamp", "Thời điểm kiểm tra đạt", "When the page passed QC"),
        col("loaded_at", "timestamp", "Thời điểm nạp vào silver", "When the page was loaded into silver"),
        col("changed_at", "timestamp", "Thời điểm thay đổi gần nhất (nạp hoặc nhận dạng lại), cho lần chạy tăng dần",
            "Last change (load or re-recognition), for the incremental run"),
    ),
    key=("page_id",),
)

FCT_PAGE_TEXTS = TableContract(
    layer="gold", name="fct_page_texts",
    vi="Mỗi trang của văn bản dùng chung (không mật, không có dữ liệu cá nhân) với văn bản nhận dạng và các trường "
       "để tra cứu: loại, số, ký hiệu, cơ quan ban hành, trích yếu, ngày. Trang của văn bản hạn chế không có ở đây.",
    en="One row per page of a shared (not restricted) document with its recognised text and the fields a search "
       "shows. Pages of restricted documents are absent.",
    columns=(
        col("page_id", "string", "Mã trang", "Page id", nullable=False, references="fct_pages.page_id"),
        DOCUMENT_CODE.but(vi="Mã văn bản (không hạn chế)", en="Document code (not restricted)"),
        RECORD_CODE,
        AGENCY_CODE,
        DISTRICT_CODE,
        *_silver(SILVER_DOCUMENT_PAGES, "page_in_document"),
        TYPE_KEY,
        *_silver(SILVER_DOCUMENTS, "number", "symbol", "issuer", "subject"),
        col("document_date", "date", "Ngày văn bản", "Document date", tags=("text",)),
        col("recognised_text", "string", "Văn bản nhận dạng (OCR) của trang sau hiệu đính tự động (dấu thanh, chữ "
            "hoa theo từ điển chuyên ngành), khoảng trắng đã gộp; đây là văn bản tra cứu đọc", "The page's "
            "recognised (OCR) text after post-OCR correction (lake.domain.ocr.correct), whitespace folded; what "
            "search reads", nullable=False, tags=("text",)),
        col("raw_text", "string", "Văn bản OCR gốc của trang, chưa hiệu đính, giữ bên cạnh",
            "The page's raw OCR text, uncorrected, kept beside it", nullable=False, tags=("text",)),
        col("is_corrected", "boolean", "Trang đã qua hiệu đính tự động (sai: trang đọc trước khi có hiệu đính, văn "
            "bản gốc dùng cho cả hai cột)", "The page has a corrected text (false: read before correction existed, "
            "the raw text fills both columns)", nullable=False),
        col("char_count", "int", "Số ký tự OCR (không tính khoảng trắng)", "OCR characters (excluding whitespace)"),
    ),
    key=("page_id",),
)

# --- plan and progress -----------------------------------------------------------------------------
FCT_DIGITIZATION_PLAN = TableContract(
    layer="gold", name="fct_digitization_plan",
    vi="Kế hoạch số hóa theo quận/huyện cũ × cấp × khối × nhóm ưu tiên, suy ra từ biên bản bàn giao và mục lục hồ "
       "sơ: số hồ sơ theo biên bản (thiếu thì theo số hộp, rồi mét giá), chia nhóm ưu tiên theo mục lục (hồ sơ chưa "
       "vào mục lục: nhóm 3 và còn lại); số trang theo mục lục, thiếu thì ước tính mỗi hồ sơ theo bình quân của cơ "
       "quan, theo mét giá, rồi bình quân toàn đề án. Chỉ tiêu chính thức (seed official_targets) thay cho dòng "
       "tương ứng.",
    en="The plan per old district × level × block × priority, derived from the handover reports and inventories "
       "(files, else boxes, else shelf metres; priority from the inventories, unlisted files in group 3; pages from "
       "the inventories, else per-file estimates), overridden by an official target where one is set.",
    columns=(
        DISTRICT_CODE,
        DISTRICT_LOCALITY,
        AGENCY_LEVEL,
        BLOCK,
        PRIORITY_GROUP,
        col("expected_records", "int", "Số hồ sơ kế hoạch", "Planned records", nullable=False),
        col("expected_pages", "int", "Số trang kế hoạch", "Planned pages", nullable=False),
        col("handover_records", "int", "Số hồ sơ suy ra từ bàn giao", "Records derived from the handover"),
        col("handover_pages", "int", "Số trang suy ra từ bàn giao", "Pages derived from the handover"),
        col("records_listed", "int", "Số hồ sơ có trong mục lục", "Records listed in the inventories"),
        col("plan_source", "string", "Nguồn kế hoạch: handover (suy ra) hoặc official (chỉ tiêu)", "Plan source",
            accepted_values=("handover", "official")),
    ),
    key=("district_code", "agency_level", "block", "priority_group"),
)

FCT_DEADLINE_STATUS = TableContract(
    layer="gold", name="fct_deadline_status",
    vi="Tình hình so với thời hạn tại ngày báo cáo, theo quận/huyện cũ × cấp × nhóm ưu tiên × bước: thời hạn, số "
       "ngày còn lại hoặc quá hạn, số trang còn lại (và còn lại tại ngày hết hạn), tốc độ 14 ngày gần nhất, trạng "
       "thái (done/overdue/at_risk/on_track) và thời hạn kế tiếp còn áp dụng.",
    en="Standing against each deadline on the as-of day per old district × level × priority × stage: days left or "
       "overdue, pages remaining (and remaining at a passed deadline), 14-day pace, status and the next deadline "
       "that still applies.",
    columns=(
        col("as_of_date", "date", "Ngày báo cáo", "As-of day", nullable=False),
        DISTRICT_CODE,
        DISTRICT_LOCALITY,
        AGENCY_LEVEL,
        PRIORITY_GROUP,
        STAGE,
        STAGE_ORDER,
        DEADLINE.but(nullable=False),
        DAYS_TO_DEADLINE,
        col("days_overdue", "int", "Số ngày quá hạn (0 nếu chưa đến hạn)", "Days overdue"),
        *PLANNED,
        col("done_records", "int", "Số hồ sơ đã đạt bước tại ngày báo cáo", "Records done on the as-of day"),
        col("done_pages", "int", "Số trang đã đạt bước tại ngày báo cáo", "Pages done on the as-of day"),
        col("share_done_pages", "double", "Tỉ lệ trang đã xong (đã xong / kế hoạch)", "Share of pages done"),
        col("share_done_records", "double", "Tỉ lệ hồ sơ đã xong (đã xong / kế hoạch)", "Share of records done"),
        col("remaining_records", "int", "Số hồ sơ còn lại", "Records remaining"),
        col("remaining_pages", "int", "Số trang còn lại", "Pages remaining"),
        col("remaining_records_at_deadline", "int", "Số hồ sơ còn lại tại ngày hết hạn (hạn đã qua)",
            "Records remaining on the deadline day"),
        col("remaining_pages_at_deadline", "int", "Số trang còn lại tại ngày hết hạn (hạn đã qua)",
            "Pages remaining on the deadline day"),
        PAGES_LAST_14_DAYS,
        PACE,
        col("pages_needed_per_day", "double", "Số trang mỗi ngày cần đạt để kịp hạn",
            "Pages per day needed to meet the deadline"),
        col("status", "string", "done: xong; overdue: quá hạn; at_risk: có nguy cơ trễ hạn; on_track: đúng tiến độ",
            "Status", nullable=False, accepted_values=("done", "overdue", "at_risk", "on_track")),
        col("is_next_deadline", "boolean", "Thời hạn kế tiếp còn áp dụng của cấp × nhóm ưu tiên",
            "The next deadline that still applies"),
    ),
    key=("district_code", "agency_level", "priority_group", "stage"),
)

FCT_DIGITIZATION_PROGRESS = TableContract(
    layer="gold", name="fct_digitization_progress",
    vi="Chuỗi tiến độ số hóa theo quận/huyện cũ × cấp × khối × nhóm ưu tiên × bước, chỉ các ngày có sự kiện, ngày "
       "báo cáo và các thời hạn: kế hoạch và thực tế, tỉ lệ hoàn thành, số ngày đến hạn, đúng tiến độ theo tốc độ "
       "14 ngày gần nhất.",
    en="Progress per old district × level × block × priority × stage on the days with events, the as-of day and "
       "the deadlines: planned vs actual, share complete, days to deadline, on track at the 14-day pace.",
    columns=(
        col("date_day", "date", "Ngày", "Day", nullable=False, references="dim_date.date_day"),
        DISTRICT_CODE,
        DISTRICT_LOCALITY.but(references=LOCALITY_KEY),
        AGENCY_LEVEL,
        BLOCK,
        PRIORITY_GROUP,
        STAGE.but(nullable=False,
                  accepted_values=("handed_over", "arranged", "scanned", "recognised", "qc_passed", "loaded")),
        STAGE_ORDER,
        *PLANNED,
        col("planned_records_to_date", "int", "Số hồ sơ kế hoạch đến ngày (rải đều đến thời hạn)",
            "Planned records to date (spread linearly to the deadline)"),
        col("planned_pages_to_date", "int", "Số trang kế hoạch đến ngày (rải đều đến thời hạn)",
            "Planned pages to date (spread linearly to the deadline)"),
        col("actual_records_day", "int", "Số hồ sơ thực tế trong ngày", "Actual records of the day"),
        col("actual_pages_day", "int", "Số trang thực tế trong ngày", "Actual pages of the day"),
        col("actual_records_cum", "int", "Số hồ sơ lũy kế thực tế", "Cumulative actual records"),
        col("actual_pages_cum", "int", "Số trang lũy kế thực tế", "Cumulative actual pages", nullable=False),
        col("share_complete_records", "double", "Tỉ lệ hồ sơ hoàn thành (lũy kế / kế hoạch)",
            "Share of records complete (cumulative / planned)"),
        col("share_complete_pages", "double", "Tỉ lệ trang hoàn thành (lũy kế / kế hoạch)",
            "Share of pages complete (cumulative / planned)"),
        DEADLINE,
        DAYS_TO_DEADLINE,
        PAGES_LAST_14_DAYS,
        PACE,
        col("is_after_as_of", "boolean", "Ngày sau ngày báo cáo (số thực tế giữ ở giá trị ngày báo cáo)",
            "A day after the as-of day (actual figures stay at the as-of value)"),
        col("is_on_track", "boolean", "Đúng tiến độ theo tốc độ hiện tại", "On track at the current pace",
            nullable=False),
    ),
    key=("date_day", "district_code", "agency_level", "block", "priority_group", "stage"),
)

GOLD_TABLES: tuple[TableContract, ...] = (
    DIM_LOCALITY, DIM_AGENCY, DIM_DOCUMENT_TYPE, DIM_DATE, DIM_RETENTION, FCT_RECORDS, FCT_DOCUMENTS, FCT_PAGES,
    FCT_PAGE_TEXTS, FCT_DIGITIZATION_PLAN, FCT_DEADLINE_STATUS, FCT_DIGITIZATION_PROGRESS,
)
