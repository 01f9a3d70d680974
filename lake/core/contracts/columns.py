"""Columns several tables share, declared once; a table takes one as is or with `Column.but(...)`."""

from __future__ import annotations

from lake.core.contracts.model import col, same  # noqa: F401  (same: a gold column that is a silver one)

#: the old district (quận/huyện cũ) every district-scoped table carries
DISTRICT_CODE = col("district_code", "string", "Mã quận/huyện cũ", "Old district code")
RECORD_CODE = col("record_code", "string", "Mã hồ sơ", "File code")
AGENCY_CODE = col("agency_code", "string", "Mã cơ quan", "Agency code")
RUN_ID = col("run_id", "string", "Lần chạy", "Run", nullable=False)

#: the ingest run that landed a row of a file/page table, and when
LANDED = (
    col("ingest_run_id", "string", "Lần nạp", "Ingest run", nullable=False),
    col("ingested_at", "timestamp", "Thời điểm nạp", "When landed", nullable=False),
)

#: a landing-zone path's bytes exactly as on disk, beside its readable form
SOURCE_PATH_BYTES = col("source_path_bytes", "binary",
                        "Đường dẫn đúng từng byte như trên đĩa (source_path là dạng đọc được)",
                        "The path's bytes exactly as on disk (source_path is the readable form)")

#: where a row of a delivered CSV/XLSX came from, and the ingest run that landed it
LINEAGE = (
    col("source_file", "string", "Đường dẫn tệp nguồn trong vùng tiếp nhận", "Source file path in the landing zone",
        nullable=False),
    col("source_sha256", "string", "SHA-256 của phiên bản tệp nguồn", "SHA-256 of the source file version",
        nullable=False),
    col("source_sheet", "string", "Trang tính (với tệp XLSX)", "Worksheet name (XLSX sources)"),
    col("source_line", "int", "Số dòng trong tệp nguồn (dòng tiêu đề là 1)",
        "Line number in the source file (header is line 1)", nullable=False),
    col("extra", "map<string,string>", "Các cột không khai báo trong hợp đồng, giữ nguyên",
        "Columns not declared in the contract, kept as delivered"),
    col("ingest_run_id", "string", "Mã lần chạy nạp dữ liệu", "Ingest run that landed the row", nullable=False),
    col("ingested_at", "timestamp", "Thời điểm nạp", "When the row was landed", nullable=False),
)

#: every silver table: the row's hash and the run that last changed it (lake.domain.silver.sync)
SILVER_AUDIT = (
    col("row_hash", "string", "SHA-256 của các cột nghiệp vụ của dòng (để chạy lại không ghi trùng)",
        "SHA-256 of the row's business columns (lets a re-run skip unchanged rows)", nullable=False),
    col("silver_run_id", "string", "Lần chạy đã ghi/cập nhật dòng này", "Run that last wrote this row",
        nullable=False),
    col("updated_at", "timestamp", "Thời điểm ghi dòng", "When the row was last written", nullable=False),
)

