"""Ops contracts: the run log and the append-only audit logs of the pipeline."""

from __future__ import annotations

from lake.core.contracts.model import TableContract, col

PIPELINE_RUNS = TableContract(
    layer="ops", name="pipeline_runs",
    vi="Nhật ký mọi lần chạy tác vụ: số lượng vào, ra, cách ly và thời gian. Mỗi lần chạy được ghi khi bắt đầu "
       "và hoàn tất khi kết thúc; lần chạy bị dừng giữa chừng giữ trạng thái 'started', không có giờ kết thúc.",
    en="Log of every job run: counts in, out, quarantined, and duration. A row is written when the run starts "
       "and completed when it ends; a run killed mid-way stays 'started' with no finish time.",
    columns=(
        col("run_id", "string", "Mã lần chạy", "Run id", nullable=False),
        col("job", "string", "Tên tác vụ", "Job name", nullable=False),
        col("started_at", "timestamp", "Bắt đầu", "Started", nullable=False),
        col("finished_at", "timestamp", "Kết thúc (trống: đang chạy hoặc đã chết giữa chừng)",
            "Finished (empty: running, or died before the end)"),
        col("duration_s", "double", "Thời gian chạy (giây)", "Duration (seconds)"),
        col("status", "string", "Trạng thái (started / succeeded / failed)", "Status (started / succeeded / failed)",
            nullable=False),
        col("items_seen", "bigint", "Số phần tử đầu vào đã xét", "Input items considered", nullable=False),
        col("items_new", "bigint", "Số phần tử mới được xử lý", "New items processed", nullable=False),
        col("items_skipped", "bigint", "Số phần tử bỏ qua vì đã xử lý", "Items skipped as already done",
            nullable=False),
        col("items_quarantined", "bigint", "Số phần tử bị cách ly", "Items quarantined", nullable=False),
        col("rows_written", "map<string,bigint>", "Số dòng ghi theo bảng", "Rows written per table"),
        col("message", "string", "Ghi chú / lỗi", "Note or error"),
    ),
    key=("run_id",),
)

JOB_STATE = TableContract(
    layer="ops", name="job_state",
    vi="Trạng thái của tác vụ chạy gia tăng: phiên bản mã và quy tắc, phiên bản các bảng đầu vào đã đọc và các "
       "bảng đầu ra sau lần chạy thành công gần nhất, để lần sau chỉ dựng lại phần thay đổi.",
    en="State of an incremental job: the code and rules version, the Delta version of each input it read and of "
       "each output after its last successful run, so that the next run rebuilds only what changed "
       "(lake.domain.silver.incremental).",
    columns=(
        col("job", "string", "Tên tác vụ", "Job name", nullable=False),
        col("code_version", "string", "Phiên bản mã và quy tắc (SHA-256)", "Code and rules version (SHA-256)",
            nullable=False),
        col("input_versions", "map<string,bigint>", "Phiên bản Delta của từng bảng đầu vào đã đọc",
            "Delta version of each input read", nullable=False),
        col("output_versions", "map<string,bigint>", "Phiên bản Delta của từng bảng đầu ra sau khi ghi",
            "Delta version of each output after the writes", nullable=False),
        col("run_id", "string", "Lần chạy đã ghi trạng thái", "Run that recorded the state", nullable=False),
        col("updated_at", "timestamp", "Thời điểm ghi", "When recorded", nullable=False),
    ),
    key=("job",),
)

RESTRICTED_ACCESS_LOG = TableContract(
    layer="ops", name="restricted_access_log",
    vi="Nhật ký truy cập tài liệu hạn chế (mật / dữ liệu cá nhân): ai, văn bản nào, lúc nào, qua kênh nào, được "
       "phép hay bị từ chối. Chỉ ghi thêm, không sửa, không xóa.",
    en="Audit log of access to restricted documents (classified / personal data): who, which document, when, "
       "through what, granted or refused. Append-only (delta.appendOnly).",
    columns=(
        col("event_id", "string", "Mã sự kiện", "Event id", nullable=False),
        col("accessed_at", "timestamp", "Thời điểm truy cập", "When", nullable=False),
        col("person", "string", "Người truy cập (tên đăng nhập)", "Who (login name)", nullable=False),
        col("document_code", "string", "Mã văn bản", "Document code", nullable=False),
        col("action", "string", "Hành động (show, ...)", "Action (show, ...)", nullable=False),
        col("channel", "string", "Kênh truy cập (cli, ...)", "Channel (cli, ...)", nullable=False),
        col("outcome", "string", "Kết quả: granted / refused / not_found", "Outcome: granted / refused / not_found",
            nullable=False),
        col("detail", "string", "Lý do / ghi chú", "Reason or note"),
        col("os_user", "string", "Tài khoản hệ điều hành của tiến trình", "OS account of the process",
            nullable=False),
        col("host", "string", "Máy", "Host", nullable=False),
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
        col("event_id", "string", "Mã sự kiện", "Event id", nullable=False),
        col("viewed_at", "timestamp", "Thời điểm xem", "When", nullable=False),
        col("person", "string", "Người xem (tên đăng nhập)", "Who (login name)", nullable=False),
        col("document_code", "string", "Mã văn bản", "Document code", nullable=False),
        col("page", "int", "Trang (nếu xem một trang)", "Page (when one page was viewed)"),
        col("action", "string", "Hành động: document, page, image, pdf, manifest",
            "Action: document, page, image, pdf, manifest", nullable=False),
        col("channel", "string", "Kênh truy cập (reading_room)", "Channel (reading_room)", nullable=False),
        col("outcome", "string", "Kết quả: granted / not_found", "Outcome: granted / not_found", nullable=False),
        col("detail", "string", "Ghi chú", "Note"),
        col("client_address", "string", "Địa chỉ máy người xem", "Client address"),
        col("host", "string", "Máy phục vụ", "Serving host", nullable=False),
    ),
    key=("event_id",),
    tags=("audit",),
    properties={"delta.appendOnly": "true"},
)

OPS_TABLES: tuple[TableContract, ...] = (PIPELINE_RUNS, JOB_STATE, RESTRICTED_ACCESS_LOG, DOCUMENT_VIEWS)
