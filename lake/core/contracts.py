"""Declared table contracts: the one registry of every table of the lakehouse.

Each contract names the table (layer + name), its columns with Spark SQL types and descriptions in
Vietnamese and English, its partitioning, its key and a description. Jobs create and write tables only
through these contracts (`lake.core.delta`), the dbt sources are generated from them, the catalog publishes
them and the tests check the live tables against them.

Bronze keeps values as delivered (strings from CSV/XLSX, with their source file and line); typing and
conforming happen in silver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LAYERS = ("bronze", "silver", "gold", "ops")

#: storage zones (lake.core.zones): who may read a table's files. "pipeline" = the pipeline only (bronze, ops),
#: "shared" = also the group lakehouse-shared (SQL endpoint, web services), "restricted" = also the group
#: lakehouse-restricted, never the shared endpoint.
ZONES = ("pipeline", "shared", "restricted")
DEFAULT_ZONE = {"bronze": "pipeline", "ops": "pipeline", "silver": "shared", "gold": "shared"}


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
    zone: str = ""  # storage zone (ZONES); empty = the layer's DEFAULT_ZONE
    # `dbt source freshness` checks the load timestamp; False for a table that is legitimately empty for months
    # (no signed PDF delivered yet), where "no rows" is not "stale"
    freshness: bool = True

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.full_name}: duplicate column names")
        for col in (*self.key, *self.partition_by):
            if col not in names:
                raise ValueError(f"{self.full_name}: key/partition column {col!r} is not in the schema")
        if self.layer not in LAYERS:
            raise ValueError(f"{self.full_name}: unknown layer {self.layer!r}")
        if not self.zone and self.layer in DEFAULT_ZONE:
            object.__setattr__(self, "zone", DEFAULT_ZONE[self.layer])
        if self.zone not in ZONES:
            raise ValueError(f"{self.full_name}: unknown zone {self.zone!r}; known: {ZONES}")

    @property
    def full_name(self) -> str:
        return f"{self.layer}.{self.name}"

    def location(self, settings):
        """The table's directory for these settings (its zone decides under which root)."""
        return settings.table_location(self.layer, self.name, self.zone)

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
    """Spark DataType from the contract's SQL type string (no SparkContext needed).

    >>> spark_type("array<struct<page:int,text:string>>").simpleString()
    'array<struct<page:int,text:string>>'
    >>> spark_type("decimal(10,2)")
    DecimalType(10,2)
    """
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
#: the old district (quận/huyện cũ) every district-scoped table carries: one declaration
DISTRICT_CODE = ("district_code", "Mã quận/huyện cũ", "Old district code")


def _district_code(**kw) -> Column:
    """The `district_code` column (DISTRICT_CODE), nullable unless `nullable=False`."""
    name, vi, en = DISTRICT_CODE
    return _c(name, "string", vi, en, **kw)


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
        _district_code(),
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
        _c("source_path_bytes", "binary", "Đường dẫn đúng từng byte như trên đĩa (source_path là dạng đọc được)",
           "The path's bytes exactly as on disk (source_path is the readable form)"),
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
        _c("modified_at", "timestamp", "Thời điểm sửa đổi của tệp (để lần chạy sau bỏ qua mà không đọc lại)",
           "File modification time (so the next run skips it without reading it again)"),
        _c("source_path_bytes", "binary", "Đường dẫn đúng từng byte như trên đĩa (source_path là dạng đọc được)",
           "The path's bytes exactly as on disk (source_path is the readable form)"),
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
        _c("sha256", "string", "SHA-256 của tệp PDF", "SHA-256 of the PDF", nullable=False),
        _c("signature_index", "int", "Thứ tự chữ ký trong tệp, từ 0", "Signature index in the file, from 0",
           nullable=False),
        _c("field_name", "string", "Tên trường chữ ký", "Signature field name"),
        _c("signer", "string", "Người/cơ quan ký (chủ thể chứng thư)", "Signer (certificate subject)"),
        _c("issuer", "string", "Tổ chức cấp chứng thư", "Certificate issuer"),
        _c("signed_at", "timestamp", "Thời điểm ký (do bên ký ghi)", "Signing time (as stated by the signer)"),
        _c("intact", "boolean", "Nội dung được ký chưa bị sửa (băm khớp)", "The signed bytes are unchanged "
           "(digest matches)"),
        _c("valid", "boolean", "Chữ ký toán học hợp lệ với chứng thư", "The cryptographic signature verifies "
           "against the signer's certificate"),
        _c("coverage", "string", "Phạm vi bao trùm: entire_file, entire_revision, contiguous_block_from_start, "
           "unclear", "What the signature covers: entire_file, entire_revision, contiguous_block_from_start, "
           "unclear"),
        _c("covers_file", "boolean", "Chữ ký bao trùm toàn bộ tệp (không có sửa đổi sau khi ký)",
           "The signature covers the whole file (nothing was added after signing)"),
        _c("problem", "string", "Lý do không đọc/kiểm tra được chữ ký", "Why the signature could not be read "
           "or checked"),
        _c("ingest_run_id", "string", "Lần nạp", "Ingest run", nullable=False),
        _c("ingested_at", "timestamp", "Thời điểm nạp", "When landed", nullable=False),
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
        (DISTRICT_CODE[0], *DISTRICT_CODE),
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
        ("first_page", "Tờ số/Trang bắt đầu", "Tờ số / trang bắt đầu (trong hồ sơ)",
         "First sheet/page (within the file)"),
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
        (DISTRICT_CODE[0], *DISTRICT_CODE),
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
        _c("corrected_text", "string", "Văn bản sau hiệu đính tự động (dấu thanh theo từ điển chuyên ngành); "
           "văn bản gốc giữ ở cột text", "Text after post-OCR correction (lake.domain.ocr.correct: tone marks from the "
           "domain lexicon, case, invalid syllables); the raw OCR text stays in text"),
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
    vi="Nhật ký mọi lần chạy tác vụ: số lượng vào, ra, cách ly và thời gian. Mỗi lần chạy được ghi khi bắt đầu "
       "và hoàn tất khi kết thúc; lần chạy bị dừng giữa chừng giữ trạng thái 'started', không có giờ kết thúc.",
    en="Log of every job run: counts in, out, quarantined, and duration. A row is written when the run starts "
       "and completed when it ends; a run killed mid-way stays 'started' with no finish time.",
    columns=(
        _c("run_id", "string", "Mã lần chạy", "Run id", nullable=False),
        _c("job", "string", "Tên tác vụ", "Job name", nullable=False),
        _c("started_at", "timestamp", "Bắt đầu", "Started", nullable=False),
        _c("finished_at", "timestamp", "Kết thúc (trống: đang chạy hoặc đã chết giữa chừng)",
           "Finished (empty: running, or died before the end)"),
        _c("duration_s", "double", "Thời gian chạy (giây)", "Duration (seconds)"),
        _c("status", "string", "Trạng thái (started / succeeded / failed)", "Status (started / succeeded / failed)",
           nullable=False),
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

RESTRICTED_ACCESS_LOG = TableContract(
    layer="ops", name="restricted_access_log",
    vi="Nhật ký truy cập tài liệu hạn chế (mật / dữ liệu cá nhân): ai, văn bản nào, lúc nào, qua kênh nào, được "
       "phép hay bị từ chối. Chỉ ghi thêm, không sửa, không xóa.",
    en="Audit log of access to restricted documents (classified / personal data): who, which document, when, "
       "through what, granted or refused. Append-only (delta.appendOnly).",
    columns=(
        _c("event_id", "string", "Mã sự kiện", "Event id", nullable=False),
        _c("accessed_at", "timestamp", "Thời điểm truy cập", "When", nullable=False),
        _c("person", "string", "Người truy cập (tên đăng nhập)", "Who (login name)", nullable=False),
        _c("document_code", "string", "Mã văn bản", "Document code", nullable=False),
        _c("action", "string", "Hành động (show, ...)", "Action (show, ...)", nullable=False),
        _c("channel", "string", "Kênh truy cập (cli, ...)", "Channel (cli, ...)", nullable=False),
        _c("outcome", "string", "Kết quả: granted / refused / not_found", "Outcome: granted / refused / not_found",
           nullable=False),
        _c("detail", "string", "Lý do / ghi chú", "Reason or note"),
        _c("os_user", "string", "Tài khoản hệ điều hành của tiến trình", "OS account of the process",
           nullable=False),
        _c("host", "string", "Máy", "Host", nullable=False),
    ),
    key=("event_id",),
    tags=("audit",),
    properties={"delta.appendOnly": "true"},
)

DOCUMENT_VIEWS = TableContract(
    layer="ops", name="document_views",
    vi="Nhật ký xem văn bản dùng chung trong phòng đọc: ai, văn bản nào, trang nào, lúc nào, từ đâu. Chỉ ghi thêm.",
    en="Audit log of shared-document views in the reading room: who, which document and page, when, from where. "
       "Append-only (delta.appendOnly); loaded from the reading room's spool by `lakehouse index`.",
    columns=(
        _c("event_id", "string", "Mã sự kiện", "Event id", nullable=False),
        _c("viewed_at", "timestamp", "Thời điểm xem", "When", nullable=False),
        _c("person", "string", "Người xem (tên đăng nhập)", "Who (login name)", nullable=False),
        _c("document_code", "string", "Mã văn bản", "Document code", nullable=False),
        _c("page", "int", "Trang (nếu xem một trang)", "Page (when one page was viewed)"),
        _c("action", "string", "Hành động: document, page, image, pdf, manifest",
           "Action: document, page, image, pdf, manifest", nullable=False),
        _c("channel", "string", "Kênh truy cập (reading_room)", "Channel (reading_room)", nullable=False),
        _c("outcome", "string", "Kết quả: granted / not_found", "Outcome: granted / not_found", nullable=False),
        _c("detail", "string", "Ghi chú", "Note"),
        _c("client_address", "string", "Địa chỉ máy người xem", "Client address"),
        _c("host", "string", "Máy phục vụ", "Serving host", nullable=False),
    ),
    key=("event_id",),
    tags=("audit",),
    properties={"delta.appendOnly": "true"},
)

BRONZE_TABLES: tuple[TableContract, ...] = (
    RAW_CONTENTS, LANDING_FILES, SCAN_PAGES, QUARANTINE, PDF_SIGNATURES,
    BATCH_MANIFESTS, QC_LOGS, INVENTORY_RECORDS, INVENTORY_DOCUMENTS, HANDOVER_REPORTS, AGENCY_REGISTER,
    REF_OLD_DISTRICTS, REF_OLD_COMMUNES, REF_NEW_COMMUNES, REF_COMMUNE_CONVERSION,
)

OCR_TABLES: tuple[TableContract, ...] = (OCR_PAGES, OCR_QC_QUEUE, ACCESS_COPIES)

REGISTRY: dict[str, TableContract] = {
    t.full_name: t for t in (*BRONZE_TABLES, *OCR_TABLES, PIPELINE_RUNS, RESTRICTED_ACCESS_LOG, DOCUMENT_VIEWS)
}


def register(contract: TableContract) -> TableContract:
    """Add a contract defined by a later layer's module (silver, gold) to the registry; the same name declared
    twice is an error."""
    existing = REGISTRY.get(contract.full_name)
    if existing is not None and existing is not contract:
        raise ValueError(f"contract {contract.full_name} declared twice")
    REGISTRY[contract.full_name] = contract
    return contract


def get_contract(full_name: str) -> TableContract:
    """The contract of `layer.table`; a KeyError lists the known names.

    >>> c = get_contract("silver.documents")
    >>> (c.layer, c.key, c.zone, c.columns[0].name)
    ('silver', ('document_code',), 'shared', 'document_code')
    >>> get_contract("silver.nope")
    Traceback (most recent call last):
    ...
    KeyError: "no table contract named 'silver.nope'; known: [...]"
    """
    try:
        return REGISTRY[full_name]
    except KeyError:
        raise KeyError(f"no table contract named {full_name!r}; known: {sorted(REGISTRY)}") from None


def tables(layer: str | None = None) -> list[TableContract]:
    """Every registered contract, or those of one layer (bronze, silver, gold, ops), in declaration order.

    >>> "ops.pipeline_runs" in [t.full_name for t in tables("ops")]
    True
    """
    return [t for t in REGISTRY.values() if layer is None or t.layer == layer]


# --- silver -----------------------------------------------------------------------------------------
# Conformed, typed tables built from bronze by jobs/silver_reference.py (localities, locality_mapping,
# agencies) and jobs/silver_documents.py (records, documents, document_pages, restricted_documents,
# qc_issues). Every silver table carries `row_hash` (SHA-256 of the row's business columns) and the run
# that last changed the row: a re-run compares keys + row_hash with the live table and writes nothing
# when they are equal (lake.domain.silver.sync). Column tags: "text" = free text read from a document,
# "PII" = personal data; both are NULL in the shared tables for restricted documents (is_restricted).

def _silver_audit() -> tuple[Column, ...]:
    return (
        _c("row_hash", "string", "SHA-256 của các cột nghiệp vụ của dòng (để chạy lại không ghi trùng)",
           "SHA-256 of the row's business columns (lets a re-run skip unchanged rows)", nullable=False),
        _c("silver_run_id", "string", "Lần chạy đã ghi/cập nhật dòng này", "Run that last wrote this row",
           nullable=False),
        _c("updated_at", "timestamp", "Thời điểm ghi dòng", "When the row was last written", nullable=False),
    )


SILVER_LOCALITIES = register(TableContract(
    layer="silver", name="localities",
    vi="Đơn vị hành chính của Hà Nội trước và sau 1/7/2025: 30 quận/huyện cũ, 526 xã/phường cũ, 126 xã/phường "
       "mới; mã xã mới theo danh sách chính thức (bảng chuyển đổi đã đối soát theo tên).",
    en="Hà Nội administrative units before and after 1 Jul 2025: 30 old districts, 526 old communes, 126 new "
       "communes; new-commune codes are the final list's (the conversion table is reconciled by name).",
    columns=(
        _c("unit_kind", "string", "Loại: old_district, old_commune, new_commune",
           "Kind: old_district, old_commune, new_commune", nullable=False),
        _c("unit_code", "string", "Mã đơn vị (mã thống kê, chuỗi có số 0 đầu)", "Unit code (NSO, zero-padded)",
           nullable=False),
        _c("unit_name", "string", "Tên đơn vị (NFC)", "Unit name (NFC)", nullable=False),
        _c("unit_level", "string", "Cấp: Quận, Huyện, Thị xã, Phường, Xã, Thị trấn",
           "Level: Quận, Huyện, Thị xã, Phường, Xã, Thị trấn", nullable=False),
        _c("district_code", "string", "Mã quận/huyện cũ (với xã cũ và quận/huyện cũ)",
           "Old district code (old communes and old districts)"),
        _c("district_name", "string", "Tên quận/huyện cũ", "Old district name"),
        _c("valid_from", "date", "Hiệu lực từ (xã mới: 2025-07-01)", "Valid from (new communes: 2025-07-01)"),
        _c("valid_to", "date", "Hiệu lực đến (đơn vị cũ: 2025-06-30)", "Valid to (old units: 2025-06-30)"),
        _c("conversion_table_code", "string", "Mã in trong bảng chuyển đổi (xã mới), có thể khác mã chính thức",
           "Code printed in the conversion table (new communes); may differ from the final code"),
        _c("conversion_code_conflict", "string", "Đơn vị khác đang dùng mã của bảng chuyển đổi (nếu có)",
           "Other unit whose final code the conversion table uses for this one (if any)"),
        _c("related_codes", "array<string>",
           "Đơn vị liên quan: xã mới nhận (với đơn vị cũ) hoặc xã cũ nguồn (với xã mới)",
           "Related units: new communes fed (old units) or source old communes (new communes)"),
        _c("seat_of_districts", "array<string>", "Các quận/huyện cũ nhận xã mới này làm đầu mối tại chỗ",
           "Old districts for which this new commune is the local point of contact"),
        *_silver_audit(),
    ),
    key=("unit_kind", "unit_code"),
))

SILVER_LOCALITY_MAPPING = register(TableContract(
    layer="silver", name="locality_mapping",
    vi="Ánh xạ nhiều – nhiều xã/phường cũ → xã/phường mới (bảng chuyển đổi đã đối soát), có chuyển một phần.",
    en="Many-to-many old commune → new commune mapping (reconciled conversion table), with partial transfers.",
    columns=(
        _c("old_commune_code", "string", "Mã xã cũ (đã sửa theo danh sách 526)", "Old commune code (checked "
           "against the list of 526)", nullable=False),
        _c("new_commune_code", "string", "Mã xã mới (danh sách 126 chính thức)", "New commune code (final list)",
           nullable=False),
        _c("old_commune_name", "string", "Tên xã cũ", "Old commune name", nullable=False),
        _c("old_district_code", "string", "Mã quận/huyện cũ", "Old district code", nullable=False),
        _c("new_commune_name", "string", "Tên xã mới", "New commune name", nullable=False),
        _c("is_partial", "boolean", "Chỉ chuyển một phần diện tích/dân số", "Only part of the old unit moved",
           nullable=False),
        _c("merge_note_vi", "string", "Ghi chú sắp xếp (nguyên văn)", "Official merger wording"),
        _c("is_primary_successor", "boolean", "Xã mới này giữ hồ sơ của xã cũ (người kế nhiệm chính)",
           "This new commune holds the old commune's records (primary successor)", nullable=False),
        _c("successor_rule", "string", "Quy tắc chọn người kế nhiệm chính", "Rule that chose the primary successor"),
        _c("table_old_code", "string", "Mã xã cũ như in trong bảng", "Old code as printed in the table"),
        _c("table_new_code", "string", "Mã xã mới như in trong bảng", "New code as printed in the table"),
        _c("table_order", "int", "Thứ tự dòng trong bảng chuyển đổi", "Row order in the conversion table"),
        *_silver_audit(),
    ),
    key=("old_commune_code", "new_commune_code"),
))

SILVER_AGENCIES = register(TableContract(
    layer="silver", name="agencies",
    vi="Cơ quan (khối Đảng, chính quyền, đoàn thể; cấp huyện, xã) với địa bàn và cơ quan tiếp nhận hồ sơ sau "
       "1/7/2025; gồm cả mã cơ quan chỉ thấy trong mục lục/bảng kê (in_register = false).",
    en="Agencies (Party, government, mass organisations; district and commune level) with their locality and "
       "successor custodian after 1 Jul 2025; includes codes seen only in inventories/manifests (in_register "
       "false).",
    columns=(
        _c("agency_code", "string", "Mã cơ quan", "Agency code", nullable=False),
        _c("agency_name", "string", "Tên cơ quan", "Agency name"),
        _c("in_register", "boolean", "Có trong danh mục cơ quan", "Listed in the agency register", nullable=False),
        _c("level", "string", "Cấp: district / commune", "Level: district / commune"),
        _c("block", "string", "Khối: party / government / mass", "Block: party / government / mass"),
        _district_code(),
        _c("district_name", "string", "Tên quận/huyện cũ", "Old district name"),
        _c("commune_code", "string", "Mã xã/phường cũ (cơ quan cấp xã)", "Old commune code (commune level)"),
        _c("commune_name", "string", "Tên xã/phường cũ", "Old commune name"),
        _c("archive_code", "string", "Mã cơ quan lưu trữ", "Archive code"),
        _c("fonds_code", "string", "Mã phông", "Fonds code"),
        _c("site_code", "string", "Điểm thi công", "Work site"),
        _c("custodian_name", "string", "Cơ quan giữ hồ sơ từ 1/7/2025", "Custodian of the records from 1 Jul 2025"),
        _c("custodian_level", "string", "Cấp cơ quan giữ hồ sơ: commune (xã mới) / city",
           "Custodian level: commune (new commune) / city"),
        _c("custodian_commune_code", "string", "Xã mới giữ hồ sơ hoặc đầu mối tại chỗ (mã chính thức)",
           "New commune holding the records or local point of contact (final code)"),
        _c("custodian_commune_name", "string", "Tên xã mới đó", "Its name"),
        _c("custodian_also_covers", "array<string>", "Các xã mới khác nhận một phần địa bàn",
           "Other new communes holding part of the territory"),
        _c("custodian_rule", "string", "Quy tắc đã áp dụng", "Rule applied"),
        _c("handover_date", "date", "Ngày bàn giao (biên bản)", "Handover date (report)"),
        _c("handover_file_count", "int", "Số hồ sơ bàn giao", "Files handed over"),
        _c("handover_box_count", "int", "Số hộp bàn giao", "Boxes handed over"),
        _c("issues", "array<string>", "Vấn đề dữ liệu (unknown_agency, unknown_commune, ...)",
           "Data issues (unknown_agency, unknown_commune, ...)"),
        *_silver_audit(),
    ),
    key=("agency_code",),
))

SILVER_RECORDS = register(TableContract(
    layer="silver", name="records",
    vi="Hồ sơ theo mục lục hồ sơ (TT 02/2019), đã định kiểu: ngày, thời hạn bảo quản chuẩn hóa, nhóm ưu tiên, "
       "số trang theo mục lục và theo ảnh quét, hộp số, cơ quan, số văn bản tìm thấy.",
    en="Records (hồ sơ) from the file inventories (Circular 02/2019), typed: dates, normalised retention, "
       "priority group, page counts inventory vs scanned, box, agency, documents found.",
    columns=(
        _c("record_code", "string", "Mã hồ sơ", "File code", nullable=False),
        _c("agency_code", "string", "Mã cơ quan (theo vị trí tệp mục lục)", "Agency code (from the inventory's "
           "folder)"),
        _c("district_code", "string", "Mã quận/huyện cũ của cơ quan ('unknown' nếu không rõ)",
           "Old district of the agency ('unknown' when not known)", nullable=False),
        _c("archive_code", "string", "Mã cơ quan lưu trữ", "Archive code"),
        _c("fonds_code", "string", "Mã phông", "Fonds code"),
        _c("inventory_no", "string", "Mục lục số", "Inventory number"),
        _c("year_formed", "int", "Năm hình thành", "Year formed"),
        _c("file_number_symbol", "string", "Số và ký hiệu hồ sơ", "File number and symbol"),
        _c("title", "string", "Tiêu đề hồ sơ", "File title"),
        _c("retention_raw", "string", "Thời hạn bảo quản như ghi", "Retention as written"),
        _c("retention_permanent", "boolean", "Bảo quản vĩnh viễn", "Kept permanently"),
        _c("retention_years", "int", "Số năm bảo quản (null nếu vĩnh viễn)", "Retention years (null if permanent)"),
        _c("access_regime", "string", "Chế độ sử dụng", "Access regime"),
        _c("language", "string", "Ngôn ngữ", "Language"),
        _c("start_date", "date", "Thời gian bắt đầu", "Start date"),
        _c("end_date", "date", "Thời gian kết thúc", "End date"),
        _c("document_count_inventory", "int", "Tổng số văn bản theo mục lục", "Documents per the inventory"),
        _c("document_count_found", "int", "Số văn bản trong silver.documents", "Documents in silver.documents"),
        _c("sheet_count", "int", "Số lượng tờ", "Sheets"),
        _c("page_count_inventory", "int", "Số lượng trang theo mục lục", "Pages per the inventory"),
        _c("page_count_scanned", "int", "Số trang quét (nội dung trùng chỉ tính một lần)",
           "Pages scanned (duplicate content counted once)", nullable=False),
        _c("page_count_ocr", "int", "Số trang đã OCR", "Pages with OCR output", nullable=False),
        _c("page_count_match", "boolean", "Số trang mục lục = số trang quét", "Inventory pages = scanned pages"),
        _c("info_symbol", "string", "Ký hiệu thông tin", "Information symbol"),
        _c("keywords", "string", "Từ khóa", "Keywords"),
        _c("physical_state", "string", "Tình trạng vật lý", "Physical condition"),
        _c("notes", "string", "Chú giải", "Notes"),
        _c("box_number", "int", "Hộp số", "Box number"),
        _c("priority_group", "int", "Nhóm ưu tiên số hóa (1, 2, 3; null nếu khác)", "Priority group (1, 2, 3)"),
        _c("priority_raw", "string", "Nhóm ưu tiên như ghi", "Priority as written"),
        _c("arranged_on", "date", "Ngày chỉnh lý xong", "Arrangement completed"),
        _c("scan_files", "array<string>", "Tệp quét theo thứ tự trang", "Scan files in page order"),
        _c("first_scanned_at", "timestamp", "Lần quét đầu", "First scan time"),
        _c("has_restricted_documents", "boolean", "Có văn bản mật / dữ liệu cá nhân", "Holds restricted documents",
           nullable=False),
        _c("flags", "array<string>", "Cờ kiểm tra", "QC flags"),
        _c("source_file", "string", "Tệp mục lục nguồn", "Source inventory file"),
        _c("source_line", "int", "Dòng trong tệp mục lục", "Line in the inventory file"),
        *_silver_audit(),
    ),
    key=("record_code",),
    partition_by=("district_code",),
))

_SPAN = "struct<page_in_document:int,page_id:string,start_char:int,end_char:int>"

SILVER_DOCUMENTS = register(TableContract(
    layer="silver", name="documents",
    vi="Văn bản (TT 02/2019, NĐ 30/2020, HD 36): mã định danh = mã hồ sơ + số thứ tự, các trường đọc từ OCR kèm "
       "độ tin cậy và vị trí nguồn, trường khai trong mục lục văn bản, cờ kiểm tra. Văn bản mật hoặc có dữ liệu "
       "cá nhân: các cột văn bản/cá nhân để trống (xem silver.restricted_documents).",
    en="Documents (Circular 02/2019, Decree 30/2020, Guide 36): code = file code + order, fields read by OCR "
       "with confidence and source span, fields declared by the document list, flags. Classified documents or "
       "documents with personal data have their text/personal columns NULL (see silver.restricted_documents).",
    columns=(
        _c("document_code", "string", "Mã định danh văn bản (mã hồ sơ.số thứ tự 3 chữ số)",
           "Document code (record code.order, 3 digits)", nullable=False),
        _c("record_code", "string", "Mã hồ sơ", "File code", nullable=False),
        _c("order_in_record", "int", "Số thứ tự trong hồ sơ", "Order in the file", nullable=False),
        _c("agency_code", "string", "Mã cơ quan", "Agency code"),
        _district_code(nullable=False),
        _c("first_page", "int", "Trang bắt đầu trong hồ sơ (từ 1)", "First page in the file (1-based)",
           nullable=False),
        _c("last_page", "int", "Trang kết thúc trong hồ sơ", "Last page in the file", nullable=False),
        _c("page_count", "int", "Số trang", "Pages", nullable=False),
        _c("boundary_source", "string", "Ranh giới: inventory (mục lục) / detected (phát hiện)",
           "Boundary: inventory / detected", nullable=False),
        _c("layout", "string", "Thể thức: nd30 / hd36", "Layout: nd30 / hd36"),
        _c("type_name", "string", "Tên loại văn bản", "Document type", tags=("text",)),
        _c("type_abbr", "string", "Viết tắt tên loại", "Type abbreviation", tags=("text",)),
        _c("number", "int", "Số văn bản", "Document number", tags=("text",)),
        _c("symbol", "string", "Số và ký hiệu", "Number and symbol", tags=("text",)),
        _c("issuer_abbr", "string", "Viết tắt cơ quan ban hành", "Issuer abbreviation", tags=("text",)),
        _c("document_date", "date", "Ngày tháng văn bản", "Document date", tags=("text",)),
        _c("place", "string", "Địa danh", "Place", tags=("text",)),
        _c("issuer", "string", "Cơ quan ban hành", "Issuing body", tags=("text",)),
        _c("issuer_parent", "string", "Cơ quan chủ quản", "Parent body", tags=("text",)),
        _c("issuer_agency_code", "string", "Mã cơ quan ban hành trong danh mục cơ quan (trống: không khớp)",
           "Issuer's agency code in the agency register (null: not matched)"),
        _c("issuer_registered_name", "string", "Tên cơ quan ban hành theo danh mục cơ quan",
           "Issuer's name as the agency register spells it"),
        _c("subject", "string", "Trích yếu nội dung", "Subject", tags=("text",)),
        _c("signer_name", "string", "Người ký", "Signer", tags=("text", "PII")),
        _c("signer_title", "string", "Chức vụ người ký", "Signer title", tags=("text",)),
        _c("authority_prefix", "string", "Quyền hạn ký (TM., KT., T/M ...)", "Authority prefix", tags=("text",)),
        _c("recipients", "array<string>", "Nơi nhận", "Recipients", tags=("text",)),
        _c("secrecy", "string", "Độ mật: Mật / Tối mật / Tuyệt mật", "Secrecy: Mật / Tối mật / Tuyệt mật"),
        _c("urgency", "string", "Độ khẩn: Khẩn / Thượng khẩn / Hỏa tốc", "Urgency"),
        _c("field_confidence", "map<string,double>", "Độ tin cậy từng trường (0–1)", "Confidence per field (0-1)"),
        _c("field_spans", f"map<string,{_SPAN}>", "Vị trí nguồn từng trường: trang, mã trang, ký tự bắt đầu/kết thúc",
           "Source span per field: page, page id, start/end char in the page's OCR text"),
        _c("inventory_symbol", "string", "Số và ký hiệu theo mục lục văn bản", "Number/symbol per the document list",
           tags=("text",)),
        _c("inventory_date", "date", "Ngày văn bản theo mục lục", "Date per the document list", tags=("text",)),
        _c("inventory_type_name", "string", "Tên loại theo mục lục", "Type per the document list", tags=("text",)),
        _c("inventory_subject", "string", "Trích yếu theo mục lục", "Subject per the document list", tags=("text",)),
        _c("inventory_author", "string", "Tác giả theo mục lục", "Author per the document list", tags=("text",)),
        _c("ocr_quality", "string", "Chất lượng OCR kém nhất của các trang", "Worst OCR quality of its pages"),
        _c("mean_ocr_confidence", "double", "Độ tin cậy OCR trung bình", "Mean OCR word confidence"),
        _c("is_restricted", "boolean", "Hạn chế: mật hoặc có dữ liệu cá nhân", "Restricted: classified or "
           "personal data", nullable=False),
        _c("restriction_reasons", "array<string>", "Lý do hạn chế: classified, personal_data",
           "Restriction reasons: classified, personal_data"),
        _c("flags", "array<string>", "Cờ kiểm tra (number_not_found, date_digit_suspect, ...)",
           "QC flags (number_not_found, date_digit_suspect, ...)"),
        *_silver_audit(),
    ),
    key=("document_code",),
    partition_by=("district_code",),
))

SILVER_DOCUMENT_PAGES = register(TableContract(
    layer="silver", name="document_pages",
    vi="Trang → văn bản: thứ tự trang trong hồ sơ và trong văn bản, tệp nguồn, chất lượng OCR.",
    en="Page → document: page order in the file and in the document, source file, OCR quality.",
    columns=(
        _c("document_code", "string", "Mã định danh văn bản", "Document code", nullable=False),
        _c("page_id", "string", "Mã trang (sha256:trang)", "Page id (sha256:index)", nullable=False),
        _c("record_code", "string", "Mã hồ sơ", "File code", nullable=False),
        _district_code(nullable=False),
        _c("page_in_record", "int", "Trang trong hồ sơ (từ 1)", "Page in the file (1-based)", nullable=False),
        _c("page_in_document", "int", "Trang trong văn bản (từ 1)", "Page in the document (1-based)",
           nullable=False),
        _c("sha256", "string", "SHA-256 tệp quét", "Scan file SHA-256", nullable=False),
        _c("page_index", "int", "Trang trong tệp (từ 0)", "Page in the file (0-based)", nullable=False),
        _c("source_path", "string", "Tệp quét (tên chuẩn nếu trùng nội dung)", "Scan file (canonical name when "
           "duplicated)", nullable=False),
        _c("duplicate_paths", "array<string>", "Các tên khác của cùng nội dung", "Other names of the same content"),
        _c("capture_device", "string", "Thiết bị chụp", "Capture device"),
        _c("declared_dpi", "int", "Độ phân giải khai báo", "Declared dpi"),
        _c("ocr_config_id", "string", "Cấu hình OCR", "OCR configuration"),
        _c("quality_class", "string", "Chất lượng OCR: good / suspect / bad / missing",
           "OCR quality: good / suspect / bad / missing", nullable=False),
        _c("quality_reasons", "array<string>", "Lý do", "Reasons"),
        *_silver_audit(),
    ),
    key=("document_code", "page_id"),
    partition_by=("district_code",),
))

SILVER_RESTRICTED_DOCUMENTS = register(TableContract(
    layer="silver", name="restricted_documents",
    vi="BẢNG HẠN CHẾ: văn bản mật (Mật, Tối mật, Tuyệt mật) và văn bản có dữ liệu cá nhân (kết quả giải quyết "
       "thủ tục hành chính): trường văn bản, dữ liệu cá nhân phát hiện và toàn văn OCR. Chỉ cấp quyền riêng.",
    en="RESTRICTED: classified documents (Mật, Tối mật, Tuyệt mật) and documents with personal data "
       "(administrative-procedure results): text fields, detected personal data and the OCR full text. "
       "Grant separately.",
    columns=(
        _c("document_code", "string", "Mã định danh văn bản", "Document code", nullable=False),
        _c("record_code", "string", "Mã hồ sơ", "File code", nullable=False),
        _c("agency_code", "string", "Mã cơ quan", "Agency code"),
        _c("restriction_reasons", "array<string>", "Lý do hạn chế", "Restriction reasons", nullable=False),
        _c("secrecy", "string", "Độ mật", "Secrecy"),
        _c("type_name", "string", "Tên loại", "Type", tags=("text",)),
        _c("symbol", "string", "Số và ký hiệu", "Number and symbol", tags=("text",)),
        _c("document_date", "date", "Ngày văn bản", "Date", tags=("text",)),
        _c("issuer", "string", "Cơ quan ban hành", "Issuer", tags=("text",)),
        _c("subject", "string", "Trích yếu", "Subject", tags=("text",)),
        _c("signer_name", "string", "Người ký", "Signer", tags=("text", "PII")),
        _c("fields", "map<string,string>", "Tất cả trường đã đọc (dạng chuỗi)", "All extracted fields (as text)",
           tags=("text", "PII")),
        _c("personal_data", "array<struct<kind:string,text:string,page_in_document:int,start_char:int,end_char:int,"
           "confidence:double>>", "Dữ liệu cá nhân phát hiện (họ tên, ngày sinh, số định danh, địa chỉ, điện thoại)",
           "Personal data found (name, birth date, id number, address, phone)", tags=("PII",)),
        _c("full_text", "string", "Toàn văn OCR các trang", "OCR full text of the pages", tags=("text", "PII")),
        *_silver_audit(),
    ),
    key=("document_code",),
    tags=("restricted",),
    zone="restricted",
))

SILVER_QC_ISSUES = register(TableContract(
    layer="silver", name="qc_issues",
    vi="Vấn đề kiểm tra chất lượng theo quy tắc (thiếu số/ngày, ngày ngoài khoảng của hồ sơ, nghi sai chữ số, "
       "lệch số trang, trang OCR kém, cơ quan không rõ, ...), để bảng điều khiển đếm. Không chứa nội dung văn bản.",
    en="Quality-control issues by rule (missing number/date, date outside the record's range, digit suspect, "
       "page-count mismatch, low-quality OCR pages, unknown agency, ...) for the dashboards to count. No "
       "document content.",
    columns=(
        _c("rule", "string", "Mã quy tắc", "Rule code", nullable=False),
        _c("entity_type", "string", "Loại đối tượng: record, document, page, agency, file",
           "Entity type: record, document, page, agency, file", nullable=False),
        _c("entity_id", "string", "Mã đối tượng", "Entity id", nullable=False),
        _c("severity", "string", "Mức độ: error / warning / info", "Severity: error / warning / info",
           nullable=False),
        _c("reason", "string", "Mô tả (không chứa nội dung văn bản)", "Reason (no document content)",
           nullable=False),
        _c("expected", "string", "Giá trị mong đợi", "Expected value"),
        _c("actual", "string", "Giá trị thực tế", "Actual value"),
        _c("record_code", "string", "Mã hồ sơ", "File code"),
        _c("document_code", "string", "Mã văn bản", "Document code"),
        _c("agency_code", "string", "Mã cơ quan", "Agency code"),
        _district_code(),
        *_silver_audit(),
    ),
    key=("rule", "entity_type", "entity_id"),
))

SILVER_TABLES: tuple[TableContract, ...] = (
    SILVER_LOCALITIES, SILVER_LOCALITY_MAPPING, SILVER_AGENCIES, SILVER_RECORDS, SILVER_DOCUMENTS,
    SILVER_DOCUMENT_PAGES, SILVER_RESTRICTED_DOCUMENTS, SILVER_QC_ISSUES,
)
