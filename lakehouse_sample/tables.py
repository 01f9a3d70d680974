"""Landing tables: agency register, handover reports, inventories (mục lục), batch manifests and QC logs."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from pathlib import Path

from lakehouse_sample.texts import TOPICS
from lakehouse_sample.util import TZ, dmy, iso_local, person_name, rng_for
from lakehouse_sample.writers import write_csv, write_xlsx

REGISTRY_COLUMNS = [
    "agency_code",
    "agency_name",
    "level",
    "block",
    "district_code",
    "district_name",
    "commune_code",
    "commune_name",
    "fonds_code",
    "archive_code",
    "site_code",
]
HANDOVER_COLUMNS = [
    "Số biên bản",
    "Mã cơ quan",
    "Tên cơ quan",
    "Mã phông",
    "Tên phông",
    "Ngày bàn giao",
    "Số hộp",
    "Số hồ sơ",
    "Số mét giá",
    "Bên giao",
    "Bên nhận",
    "Điểm thi công",
]
INVENTORY_COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Mã cơ quan lưu trữ",
    "Mã phông",
    "Mục lục số",
    "Năm hình thành",
    "Số và ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời hạn bảo quản",
    "Chế độ sử dụng",
    "Ngôn ngữ",
    "Thời gian bắt đầu",
    "Thời gian kết thúc",
    "Tổng số văn bản",
    "Số lượng tờ",
    "Số lượng trang",
    "Ký hiệu thông tin",
    "Từ khóa",
    "Tình trạng vật lý",
    "Chú giải",
    "Hộp số",
    "Nhóm ưu tiên",
    "Ngày chỉnh lý xong",
]
DOCUMENT_LIST_COLUMNS = [
    "Mã hồ sơ",
    "STT văn bản trong hồ sơ",
    "Số và ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại",
    "Trích yếu",
    "Tác giả",
    "Tờ số/Trang bắt đầu",
    "Trang kết thúc",
    "Tên tệp",
]
MANIFEST_COLUMNS = [
    "batch_id",
    "site_code",
    "site_name",
    "district_code",
    "agency_code",
    "record_code",
    "file_name",
    "file_format",
    "page_count",
    "dpi",
    "capture_device",
    "scanned_at",
    "operator",
]
QC_COLUMNS = ["batch_id", "file_name", "checked_at", "inspector", "result", "note"]
RECEIVER = "Trung tâm Phục vụ hành chính công Thành phố Hà Nội"


def _at(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=TZ)


def _touch(path: Path, when: datetime) -> None:
    import os

    ts = when.timestamp()
    os.utime(path, (ts, ts))


def write_landing_tables(
    seed, landing: Path, locs, agencies, plans, records, manifest, batches, doc_lists
) -> list[str]:
    written: list[str] = []
    site_names = {s["site_code"]: s["site_name"] for loc in locs for s in loc.sites}

    def done(path: Path, when: datetime) -> None:
        _touch(path, when)
        written.append(path.relative_to(landing).as_posix())

    # registry
    reg = landing / "registry" / "co_quan.csv"
    write_csv(
        reg,
        REGISTRY_COLUMNS,
        [
            [
                a.agency_code,
                a.agency_name,
                a.level,
                a.block,
                a.district_code,
                a.district_name,
                a.commune_code,
                a.commune_name,
                a.fonds_code,
                a.archive_code,
                a.site_code,
            ]
            for a in agencies
        ],
    )
    done(reg, _at(date(2025, 6, 30)))
    recs_by_agency: dict[str, list] = {}
    for r in records:
        recs_by_agency.setdefault(r.agency.agency_code, []).append(r)
    # handover reports and inventories
    for i, a in enumerate(agencies):
        rng = rng_for(seed, "tables", a.agency_code)
        plan = plans[a.agency_code]
        recs = recs_by_agency[a.agency_code]
        boxes = max(r.box for r in recs)
        giver = person_name(rng)[0]
        taker = person_name(rng)[0]
        row = [
            f"{i + 1:02d}/BB-BGTL",
            a.agency_code,
            a.agency_name,
            a.fonds_code,
            a.fonds_name,
            plan.handover,
            boxes,
            len(recs),
            round(boxes * 0.1, 1),
            f"{a.agency_name} (đại diện: {giver})",
            f"{RECEIVER} (đại diện: {taker})",
            site_names[a.site_code],
        ]
        folder = landing / "handover" / a.agency_code
        if rng.random() < 0.5:
            path = folder / "bien_ban_ban_giao.xlsx"
            write_xlsx(path, "Biên bản bàn giao", HANDOVER_COLUMNS, [row], _at(plan.handover, 16))
        else:
            path = folder / "bien_ban_ban_giao.csv"
            write_csv(path, HANDOVER_COLUMNS, [[dmy(v) if isinstance(v, date) else v for v in row]])
        done(path, _at(plan.handover, 16))
        inv_rows = []
        for k, r in enumerate(recs, start=1):
            in_range = sorted(d.date for d in r.docs if not d.extra.get("outside_record_range")) or [
                d.date for d in r.docs
            ]
            declared = next(
                (x["declared"] for x in r.defects if x["kind"] == "page_count_mismatch"), len(r.pages)
            )
            sheets = math.ceil(len(r.pages) / 2) if r.double_sided else len(r.pages)
            secret = any(d.secrecy for d in r.docs)
            personal = any(d.has_personal_data for d in r.docs)
            note = "; ".join(
                x
                for x in ("Có văn bản mật" if secret else "", "Có thông tin cá nhân" if personal else "")
                if x
            )
            inv_rows.append(
                [
                    k,
                    r.record_code,
                    a.archive_code,
                    a.fonds_code,
                    r.inventory_no,
                    r.year,
                    f"{r.file_no:03d}/{a.unit}",
                    r.title,
                    r.retention,
                    "Hạn chế" if (secret or personal) else "Công khai",
                    "Tiếng Việt",
                    dmy(in_range[0]),
                    dmy(in_range[-1]),
                    len(r.docs),
                    sheets,
                    declared,
                    TOPICS[r.topic_idx][2],
                    TOPICS[r.topic_idx][1],
                    r.physical,
                    note,
                    r.box,
                    r.priority,
                    dmy(r.arranged),
                ]
            )
        last = max(r.arranged for r in recs)
        folder = landing / "inventories" / a.agency_code
        if rng.random() < 0.5:
            path = folder / "muc_luc_ho_so.xlsx"
            write_xlsx(path, "Mục lục hồ sơ", INVENTORY_COLUMNS, inv_rows, _at(last, 17))
        else:
            path = folder / "muc_luc_ho_so.csv"
            write_csv(path, INVENTORY_COLUMNS, inv_rows)
        done(path, _at(last, 17))
        if a.agency_code in doc_lists:
            rows = []
            for r in recs:
                files = r.__dict__.get("files", [])
                start = 0
                for d in r.docs:
                    end = start + d.page_count - 1
                    names = [
                        f.rsplit("/", 1)[1] for f, chunk in files if any(start <= p <= end for p in chunk)
                    ]
                    rows.append(
                        [
                            r.record_code,
                            d.order_in_record,
                            d.symbol,
                            dmy(d.date),
                            d.type_name,
                            d.subject or d.type_name,
                            a.agency_name,
                            start + 1,
                            end + 1,
                            "; ".join(names),
                        ]
                    )
                    start = end + 1
            path = folder / "muc_luc_van_ban.csv"
            write_csv(path, DOCUMENT_LIST_COLUMNS, rows)
            done(path, _at(last, 17))
    # manifests and QC logs
    by_batch: dict[str, list[dict]] = {}
    for m in manifest:
        by_batch.setdefault(m["batch_id"], []).append(m)
    for b in batches:
        rows = by_batch[b["batch_id"]]
        folder = landing / "batches" / b["batch_id"]
        path = folder / "manifest.csv"
        write_csv(
            path, MANIFEST_COLUMNS, [[m[c] for c in MANIFEST_COLUMNS] for m in rows], bom=False, crlf=False
        )
        done(path, datetime.fromisoformat(max(m["scanned_at"] for m in rows)) + timedelta(minutes=5))
        rng = rng_for(seed, "qc", b["batch_id"])
        inspector = person_name(rng_for(seed, "inspector", b["site_code"]))[0]
        checked = date.fromisoformat(b["checked"])
        clock = datetime.combine(checked, time(13, rng.randint(0, 30)), tzinfo=TZ)
        qc = []
        bad_notes = {
            "zero_byte": "Tệp rỗng, không mở được",
            "truncated_jpeg": "Ảnh lỗi, không hiển thị hết trang",
            "not_an_image": "Không phải tệp ảnh",
            "encrypted_pdf": "Tệp PDF bị đặt mật khẩu",
        }
        for m in rows:
            clock += timedelta(seconds=rng.randint(30, 150))
            kinds = m.get("_degr", [])
            result, note = "dat", ""
            if m.get("_bad") in bad_notes:
                result, note = "khong_dat", bad_notes[m["_bad"]]
            elif m["capture_device"] == "phone" and rng.random() < 0.5:
                result, note = "khong_dat", "Ảnh chụp điện thoại, độ phân giải thấp, đề nghị quét lại"
            elif ("dark" in kinds or "blur" in kinds) and rng.random() < 0.4:
                result, note = "khong_dat", "Ảnh tối hoặc mờ, đề nghị quét lại"
            elif "skew" in kinds and rng.random() < 0.15:
                result, note = "dat", "Trang bị nghiêng nhẹ"
            qc.append([b["batch_id"], m["file_name"], iso_local(clock), inspector, result, note])
        path = folder / "qc_log.csv"
        write_csv(path, QC_COLUMNS, qc, bom=False, crlf=False)
        done(path, clock)
    return written
