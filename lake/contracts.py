"""Declared table contracts: the one registry of every table of the lakehouse.

Each contract names the table (layer + name), its columns with Spark SQL types and descriptions in
Vietnamese and English, its partitioning, its key and a description. Jobs create and write tables only
through these contracts (`lake.delta`), the dbt sources are generated from them, the catalog publishes
them and the tests check the live tables against them.

Bronze keeps values as delivered (strings from CSV/XLSX, with their source file and line); typing and
conforming happen in silver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LAYERS = ("bronze", "silver", "gold", "ops")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    vi: str
    en: str
    nullable: bool = True
    source: str | None = None  # header in the delivered CSV/XLSX, for tabular bronze tables
    tags: tuple[str, ...] = ()  # e.g. ("PII",), ("restricted",)


@dataclass(frozen=True)
class TableContract:
    layer: str
    name: str
    vi: str
    en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    owner: str = "data-platform"
    tags: tuple[str, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.full_name}: duplicate column names")
        for col in (*self.key, *self.partition_by):
            if col not in names:
                raise ValueError(f"{self.full_name}: key/partition column {col!r} is not in the schema")
        if self.layer not in LAYERS:
            raise ValueError(f"{self.full_name}: unknown layer {self.layer!r}")

    @property
    def full_name(self) -> str:
        return f"{self.layer}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.full_name} has no column {name!r}")

    def ddl_columns(self) -> str:
        parts = []
        for c in self.columns:
            null = "" if c.nullable else " NOT NULL"
            comment = f"{c.vi} / {c.en}".replace("'", "\\'")
            parts.append(f"`{c.name}` {c.type}{null} COMMENT '{comment}'")
        return ",\n  ".join(parts)

    def spark_schema(self):
        from pyspark.sql.types import StructField, StructType

        return StructType([StructField(c.name, spark_type(c.type), c.nullable) for c in self.columns])

    @property
    def description(self) -> str:
        return f"{self.vi}\n\n{self.en}"


_PRIMITIVES = {
    "string": "StringType", "int": "IntegerType", "bigint": "LongType", "double": "DoubleType",
    "float": "FloatType", "boolean": "BooleanType", "date": "DateType", "timestamp": "TimestampType",
    "binary": "BinaryType", "smallint": "ShortType",
}


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def spark_type(text: str):
    """Spark DataType from the contract's SQL type string (no SparkContext needed)."""
    from pyspark.sql import types as T

    text = text.strip()
    low = text.lower()
    if low in _PRIMITIVES:
        return getattr(T, _PRIMITIVES[low])()
    if low.startswith("decimal(") and low.endswith(")"):
        p, s = (int(x) for x in low[8:-1].split(","))
        return T.DecimalType(p, s)
    if low.startswith("array<") and low.endswith(">"):
        return T.ArrayType(spark_type(text[6:-1]))
    if low.startswith("map<") and low.endswith(">"):
        k, v = _split_top(text[4:-1])
        return T.MapType(spark_type(k), spark_type(v))
    if low.startswith("struct<") and low.endswith(">"):
        fields = []
        for part in _split_top(text[7:-1]):
            name, typ = part.split(":", 1)
            fields.append(T.StructField(name.strip().strip("`"), spark_type(typ)))
        return T.StructType(fields)
    raise ValueError(f"unsupported type in a table contract: {text!r}")


def _c(name: str, type_: str, vi: str, en: str, **kw) -> Column:
    return Column(name, type_, vi, en, **kw)


# --- columns shared by tables landed from delivered files -------------------------------------------
def _lineage_columns() -> tuple[Column, ...]:
    return (
        _c("source_file", "string", "Đường dẫn tệp nguồn trong vùng tiếp nhận", "Source file path in the landing zone",
           nullable=False),
        _c("source_sha256", "string", "SHA-256 của phiên bản tệp nguồn", "SHA-256 of the source file version",
           nullable=False),
        _c("source_sheet", "string", "Trang tính (với tệp XLSX)", "Worksheet name (XLSX sources)"),
        _c("source_line", "int", "Số dòng trong tệp nguồn (dòng tiêu đề là 1)",
           "Line number in the source file (header is line 1)", nullable=False),
        _c("extra", "map<string,string>", "Các cột không khai báo trong hợp đồng, giữ nguyên",
           "Columns not declared in the contract, kept as delivered"),
        _c("ingest_run_id", "string", "Mã lần chạy nạp dữ liệu", "Ingest run that landed the row", nullable=False),
        _c("ingested_at", "timestamp", "Thời điểm nạp", "When the row was landed", nullable=False),
    )


def _tabular(layer: str, name: str, vi: str, en: str, fields: list[tuple[str, str, str, str]],
             partition_by: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> TableContract:
    """A bronze table of rows from delivered CSV/XLSX files: every field a string as delivered."""
    cols = tuple(_c(n, "string", cvi, cen, source=src) for n, src, cvi, cen in fields)
    return TableContract(
        layer=layer, name=name, vi=vi, en=en, columns=cols + _lineage_columns(),
        key=("source_file", "source_sha256", "source_sheet", "source_line"), partition_by=partition_by,
        tags=tags, owner="data-platform",
    )


# ---------------------------------------------------------------------------------------------------
# bronze: files and pages
# ---------------------------------------------------------------------------------------------------
RAW_CONTENTS = TableContract(
    layer="bronze", name="raw_contents",
    vi="Nội dung tệp duy nhất (theo SHA-256) trong kho lưu trữ bản gốc bất biến, địa chỉ theo nội dung.",
    en="Unique file contents (by SHA-256) kept in the immutable content-addressed raw store.",
    columns=(
        _c("sha256", "string", "Mã băm SHA-256 của nội dung", "SHA-256 of the bytes", nullable=False),
        _c("size_bytes", "bigint", "Kích thước (byte)", "Size in bytes", nullable=False),
        _c("detected_format", "string", "Định dạng nhận diện theo nội dung (jpeg, tiff, pdf, png, csv, xlsx)",
           "Format detected from the bytes (jpeg, tiff, pdf, png, csv, xlsx)", nullable=False),
        _c("page_count", "int", "Số trang ảnh (với tệp quét)", "Number of page images (scan files)"),
        _c("raw_path", "string", "Đường dẫn trong kho bản gốc, tương đối với thư mục gốc của hồ dữ liệu",
           "Path in the raw store, relative to the lake root", nullable=False),
        _c("first_seen_run_id", "string", "Lần nạp đầu tiên thấy nội dung này", "Run that first saw this content",
           nullable=False),
        _c("first_seen_at", "timestamp", "Thời điểm thấy lần đầu", "When first seen", nullable=False),
    ),
    key=("sha256",),
)

LANDING_FILES = TableContract(
    layer="bronze", name="landing_files",
    vi="Mỗi lần thấy một tệp trong vùng tiếp nhận (đường dẫn + nội dung); tệp đổi nội dung là phiên bản mới.",
    en="Every sighting of a landing-zone file (path + content); a changed file under the same path is a new "
       "version, the same bytes under two names are one content with two sightings.",
    columns=(
        _c("source_path", "string", "Đường dẫn tương đối trong vùng tiếp nhận", "Path relative to the landing zone",
           nullable=False),
        _c("sha256", "string", "SHA-256 của nội dung", "SHA-256 of the content", nullable=False),
        _c("version", "int", "Phiên bản của đường dẫn (1, 2, ...)", "Version of this path (1, 2, ...)",
           nullable=False),
        _c("file_kind", "string", "Loại tệp: scan, manifest, qc_log, inventory_records, inventory_documents, "
           "handover, registry", "File kind: scan, manifest, qc_log, inventory_records, inventory_documents, "
           "handover, registry", nullable=False),
        _c("detected_format", "string", "Định dạng nhận diện theo nội dung", "Format detected from the bytes",
           nullable=False),
        _c("size_bytes", "bigint", "Kích thước (byte)", "Size in bytes", nullable=False),
        _c("modified_at", "timestamp", "Thời điểm sửa đổi của tệp", "File modification time", nullable=False),
        _c("page_count", "int", "Số trang ảnh", "Number of page images"),
        _c("batch_id", "string", "Lô quét", "Scan batch"),
        _c("site_code", "string", "Điểm thi công", "Work site (điểm thi công)"),
        _c("district_code", "string", "Mã quận/huyện cũ", "Old district code"),
        _c("agency_code", "string", "Mã cơ quan (theo bảng kê lô quét)", "Agency code (from the batch manifest)"),
        _c("record_code", "string", "Mã hồ sơ (theo bảng kê lô quét)", "File (hồ sơ) code (from the manifest)"),
        _c("scanned_at", "timestamp", "Thời điểm quét", "Scan time"),
        _c("operator", "string", "Người quét", "Scan operator"),
        _c("capture_device", "string", "Thiết bị chụp: scanner hoặc phone", "Capture device: scanner or phone"),
        _c("declared_dpi", "int", "Độ phân giải khai báo (dpi)", "Declared resolution (dpi)"),
        _c("file_metadata", "map<string,string>", "Siêu dữ liệu trong tệp (EXIF, thẻ TIFF, thông tin PDF)",
           "Metadata embedded in the file (EXIF, TIFF tags, PDF info)"),
        _c("ingest_run_id", "string", "Lần nạp", "Ingest run", nullable=False),
        _c("ingested_at", "timestamp", "Thời điểm nạp", "When landed", nullable=False),
    ),
    key=("source_path", "sha256"),
    partition_by=("file_kind",),
)

SCAN_PAGES = TableContract(
    layer="bronze", name="scan_pages",
    vi="Mỗi trang ảnh của một nội dung tệp quét (theo SHA-256 và số thứ tự trang).",
    en="One row per page image of a scan content (by SHA-256 and page index).",
    columns=(
        _c("sha256", "string", "SHA-256 của tệp chứa trang", "SHA-256 of the file holding the page", nullable=False),
        _c("page_index", "int", "Số thứ tự trang trong tệp, từ 0", "Page index within the file, from 0",
           nullable=False),
        _c("page_id", "string", "Mã trang: sha256:trang", "Page id: sha256:index", nullable=False),
        _c("width_px", "int", "Chiều rộng (điểm ảnh)", "Width in pixels"),
        _c("height_px", "int", "Chiều cao (điểm ảnh)", "Height in pixels"),
        _c("dpi_x", "double", "Độ phân giải ngang ghi trong tệp", "Horizontal resolution recorded in the file"),
        _c("dpi_y", "double", "Độ phân giải dọc ghi trong tệp", "Vertical resolution recorded in the file"),
        _c("color_mode", "string", "Chế độ màu (RGB, L, 1, ...)", "Colour mode (RGB, L, 1, ...)"),
        _c("detected_format", "string", "Định dạng của tệp chứa trang", "Format of the containing file",
           nullable=False),
        _c("ingest_run_id", "string", "Lần nạp", "Ingest run", nullable=False),
        _c("ingested_at", "timestamp", "Thời điểm nạp", "When landed", nullable=False),
    ),
    key=("sha256", "page_index"),
)

QUARANTINE = TableContract(
    layer="bronze", name="quarantine",
    vi="Đầu vào lỗi bị cách ly, kèm lý do và lần chạy; phần còn lại của lần chạy vẫn tiếp tục.",
    en="Bad inputs held back with the reason and the run; the rest of the run goes on.",
    columns=(
        _c("stage", "string", "Bước xử lý phát hiện lỗi (ingest, ocr, ...)", "Stage that found the problem",
           nullable=False),
        _c("source_path", "string", "Đường dẫn tệp trong vùng tiếp nhận", "Landing-zone path", nullable=False),
        _c("sha256", "string", "SHA-256 của nội dung", "SHA-256 of the content", nullable=False),
        _c("item", "string", "Phần tử lỗi trong tệp (trang, dòng) hoặc rỗng nếu cả tệp",
           "Failing item inside the file (page, line), empty for the whole file", nullable=False),
        _c("size_bytes", "bigint", "Kích thước (byte)", "Size in bytes"),
        _c("reason_code", "string", "Mã lý do (empty_file, unknown_format, truncated_image, encrypted_pdf, "
           "...)", "Reason code (empty_file, unknown_format, truncated_image, encrypted_pdf, ...)",
           nullable=False),
        _c("reason", "string", "Mô tả lỗi", "Error message", nullable=False),
        _c("raw_path", "string", "Bản gốc được giữ lại trong kho bản gốc", "Raw-store copy kept as evidence"),
        _c("run_id", "string", "Lần chạy phát hiện", "Run that found it", nullable=False),
        _c("detected_at", "timestamp", "Thời điểm phát hiện", "When found", nullable=False),
    ),
    key=("stage", "source_path", "sha256", "item"),
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
        ("district_code", "district_code", "Mã quận/huyện cũ", "Old district code"),
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
        ("first_page", "Tờ số/Trang bắt đầu", "Tờ số / trang bắt đầu (trong hồ sơ)", "First sheet/page (within the file)"),
        ("last_page", "Trang kết thúc", "Trang kết thúc", "Last page"),
        ("file_name", "Tên tệp", "Tên tệp quét", "Scan file name"),
    ],
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
        ("district_code", "district_code", "Mã quận/huyện cũ", "Old district code"),
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
        _c("page_id", "string", "Mã trang (sha256:trang)", "Page id (sha256:index)", nullable=False),
        _c("sha256", "string", "SHA-256 của tệp quét", "SHA-256 of the scan file", nullable=False),
        _c("page_index", "int", "Số thứ tự trang trong tệp, từ 0", "Page index in the file, from 0", nullable=False),
        _c("config_id", "string", "Mã cấu hình máy OCR (phiên bản, dữ liệu ngôn ngữ, psm, tiền xử lý)",
           "OCR configuration id (engine version, language data, psm, preparation)", nullable=False),
        _c("engine_version", "string", "Phiên bản Tesseract", "Tesseract version", nullable=False),
        _c("tessdata_sha256", "string", "SHA-256 của dữ liệu ngôn ngữ vie", "SHA-256 of the vie language data",
           nullable=False),
        _c("language", "string", "Ngôn ngữ nhận dạng", "Recognition language", nullable=False),
        _c("psm", "int", "Chế độ phân đoạn trang", "Page segmentation mode", nullable=False),
        _c("text", "string", "Văn bản nhận dạng (Unicode NFC)", "Recognised text (Unicode NFC)"),
        _c("words", WORD_TYPE, "Các từ: chữ, độ tin cậy, hộp bao (điểm ảnh của ảnh gốc), dòng, khối",
           "Words: text, confidence, bounding box (original image pixels), line, block"),
        _c("mean_confidence", "double", "Độ tin cậy trung bình của từ (0–100)", "Mean word confidence (0-100)"),
        _c("char_count", "int", "Số ký tự (không tính khoảng trắng)", "Characters (excluding whitespace)",
           nullable=False),
        _c("word_count", "int", "Số từ", "Words", nullable=False),
        _c("preparation_steps", "array<string>", "Các bước tiền xử lý ảnh đã làm",
           "Image preparation steps applied"),
        _c("pass_used", "string", "Lượt nhận dạng được giữ (primary hoặc lượt phục hồi)",
           "Recognition pass kept (primary or a recovery pass)", nullable=False),
        _c("passes_tried", "array<string>", "Các lượt đã thử", "Passes tried"),
        _c("effective_dpi", "double", "Độ phân giải thực ước tính của ảnh gốc", "Estimated effective resolution"),
        _c("skew_deg", "double", "Độ nghiêng đã chỉnh (độ)", "Skew corrected (degrees)"),
        _c("width_px", "int", "Chiều rộng ảnh gốc", "Original image width"),
        _c("height_px", "int", "Chiều cao ảnh gốc", "Original image height"),
        _c("quality_class", "string", "Hạng chất lượng: good / suspect / bad", "Quality class: good / suspect / bad",
           nullable=False),
        _c("quality_reasons", "array<string>", "Lý do gắn cờ chất lượng", "Quality flag reasons"),
        _c("valid_syllable_share", "double", "Tỉ lệ âm tiết tiếng Việt hợp lệ", "Share of valid Vietnamese syllables"),
        _c("garbage_share", "double", "Tỉ lệ ký tự rác", "Share of garbage characters"),
        _c("duration_s", "double", "Thời gian nhận dạng (giây)", "Recognition time (seconds)"),
        _c("run_id", "string", "Lần chạy", "Run", nullable=False),
        _c("recognised_at", "timestamp", "Thời điểm nhận dạng", "When recognised", nullable=False),
    ),
    key=("page_id",),
)

OCR_QC_QUEUE = TableContract(
    layer="bronze", name="ocr_qc_queue",
    vi="Hàng đợi kiểm tra: các trang OCR bị gắn cờ chất lượng, kèm lý do, chờ người kiểm tra xem lại.",
    en="QC queue: OCR pages flagged for quality, with the reasons, waiting for a reviewer.",
    columns=(
        _c("page_id", "string", "Mã trang", "Page id", nullable=False),
        _c("config_id", "string", "Cấu hình OCR đã gắn cờ", "OCR configuration that flagged it", nullable=False),
        _c("sha256", "string", "SHA-256 của tệp quét", "SHA-256 of the scan file", nullable=False),
        _c("page_index", "int", "Số thứ tự trang", "Page index", nullable=False),
        _c("quality_class", "string", "Hạng chất lượng", "Quality class", nullable=False),
        _c("reasons", "array<string>", "Lý do", "Reasons", nullable=False),
        _c("reason", "string", "Mô tả lý do", "Reason text", nullable=False),
        _c("run_id", "string", "Lần chạy", "Run", nullable=False),
        _c("queued_at", "timestamp", "Thời điểm đưa vào hàng đợi", "When queued", nullable=False),
    ),
    key=("page_id", "config_id"),
)

ACCESS_COPIES = TableContract(
    layer="bronze", name="access_copies",
    vi="Bản khai thác: PDF có lớp chữ ẩn tìm kiếm được (PDF/A-2b) cho mỗi tệp quét, lưu trong hồ dữ liệu.",
    en="Access copies: a searchable PDF (page images + invisible text layer, PDF/A-2b) per scan file.",
    columns=(
        _c("sha256", "string", "SHA-256 của tệp quét gốc", "SHA-256 of the source scan file", nullable=False),
        _c("config_id", "string", "Cấu hình OCR tạo lớp chữ", "OCR configuration of the text layer", nullable=False),
        _c("pdf_path", "string", "Đường dẫn PDF, tương đối với thư mục gốc", "PDF path relative to the lake root",
           nullable=False),
        _c("pdf_sha256", "string", "SHA-256 của PDF", "SHA-256 of the PDF", nullable=False),
        _c("size_bytes", "bigint", "Kích thước PDF", "PDF size in bytes", nullable=False),
        _c("page_count", "int", "Số trang", "Pages", nullable=False),
        _c("pdfa", "string", "Mức PDF/A (nếu có)", "PDF/A level (when written)"),
        _c("run_id", "string", "Lần chạy", "Run", nullable=False),
        _c("created_at", "timestamp", "Thời điểm tạo", "When created", nullable=False),
    ),
    key=("sha256", "config_id"),
)

# ---------------------------------------------------------------------------------------------------
# ops: run log
# ---------------------------------------------------------------------------------------------------
PIPELINE_RUNS = TableContract(
    layer="ops", name="pipeline_runs",
    vi="Nhật ký mọi lần chạy tác vụ: số lượng vào, ra, cách ly và thời gian.",
    en="Log of every job run: counts in, out, quarantined, and duration.",
    columns=(
        _c("run_id", "string", "Mã lần chạy", "Run id", nullable=False),
        _c("job", "string", "Tên tác vụ", "Job name", nullable=False),
        _c("started_at", "timestamp", "Bắt đầu", "Started", nullable=False),
        _c("finished_at", "timestamp", "Kết thúc", "Finished", nullable=False),
        _c("duration_s", "double", "Thời gian chạy (giây)", "Duration (seconds)", nullable=False),
        _c("status", "string", "Trạng thái (succeeded / failed)", "Status (succeeded / failed)", nullable=False),
        _c("items_seen", "bigint", "Số phần tử đầu vào đã xét", "Input items considered", nullable=False),
        _c("items_new", "bigint", "Số phần tử mới được xử lý", "New items processed", nullable=False),
        _c("items_skipped", "bigint", "Số phần tử bỏ qua vì đã xử lý", "Items skipped as already done",
           nullable=False),
        _c("items_quarantined", "bigint", "Số phần tử bị cách ly", "Items quarantined", nullable=False),
        _c("rows_written", "map<string,bigint>", "Số dòng ghi theo bảng", "Rows written per table"),
        _c("message", "string", "Ghi chú / lỗi", "Note or error"),
    ),
    key=("run_id",),
)

BRONZE_TABLES: tuple[TableContract, ...] = (
    RAW_CONTENTS, LANDING_FILES, SCAN_PAGES, QUARANTINE,
    BATCH_MANIFESTS, QC_LOGS, INVENTORY_RECORDS, INVENTORY_DOCUMENTS, HANDOVER_REPORTS, AGENCY_REGISTER,
    REF_OLD_DISTRICTS, REF_OLD_COMMUNES, REF_NEW_COMMUNES, REF_COMMUNE_CONVERSION,
)

OCR_TABLES: tuple[TableContract, ...] = (OCR_PAGES, OCR_QC_QUEUE, ACCESS_COPIES)

REGISTRY: dict[str, TableContract] = {t.full_name: t for t in (*BRONZE_TABLES, *OCR_TABLES, PIPELINE_RUNS)}


def register(contract: TableContract) -> TableContract:
    """Add a contract defined by a later layer's module (silver, gold) to the registry."""
    existing = REGISTRY.get(contract.full_name)
    if existing is not None and existing is not contract:
        raise ValueError(f"contract {contract.full_name} declared twice")
    REGISTRY[contract.full_name] = contract
    return contract


def get_contract(full_name: str) -> TableContract:
    try:
        return REGISTRY[full_name]
    except KeyError:
        raise KeyError(f"no table contract named {full_name!r}; known: {sorted(REGISTRY)}") from None


def tables(layer: str | None = None) -> list[TableContract]:
    return [t for t in REGISTRY.values() if layer is None or t.layer == layer]
