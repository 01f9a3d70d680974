"""Synthetic shared documents for the search benchmark (documents, not images): index documents shaped exactly as
`build_document` makes them from gold, with Vietnamese subjects, headers and bodies, real Hà Nội localities
(from the reference lists), document numbers counted per issuer, type and year, and about 1.65 pages per
document. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from lake.apps.search.indexer import build_document

TYPES = [("QĐ", "Quyết định", 30), ("CV", "Công văn", 25), ("TB", "Thông báo", 10), ("KH", "Kế hoạch", 10),
         ("BC", "Báo cáo", 12), ("TTr", "Tờ trình", 5), ("NQ", "Nghị quyết", 4), ("CT", "Chỉ thị", 2),
         ("HD", "Hướng dẫn", 2)]
VERBS = ["phê duyệt", "ban hành", "thành lập", "kiện toàn", "triển khai", "tổ chức", "điều chỉnh", "bổ sung",
         "giao nhiệm vụ", "công nhận", "khen thưởng", "xử lý", "kiểm tra", "rà soát", "thực hiện", "tăng cường",
         "hỗ trợ", "cấp kinh phí", "thu hồi", "giải quyết"]
OBJECTS = ["kế hoạch cải tạo đường", "dự án xây dựng trường mầm non", "Ban chỉ đạo chuyển đổi số",
           "tổ công tác giải phóng mặt bằng", "quy chế làm việc", "kết quả bầu cử trưởng thôn",
           "danh sách hộ nghèo", "phương án phòng chống lụt bão", "công tác tiếp công dân",
           "đề án sắp xếp đơn vị hành chính", "việc chỉnh lý tài liệu lưu trữ", "việc số hóa hồ sơ",
           "chương trình nông thôn mới", "công tác phòng cháy chữa cháy", "quy hoạch sử dụng đất",
           "việc cấp giấy chứng nhận quyền sử dụng đất", "Hội đồng thi đua khen thưởng", "kế hoạch tiêm chủng",
           "dự toán ngân sách", "việc bàn giao hồ sơ", "công tác cán bộ", "chế độ báo cáo thống kê",
           "nhà văn hóa", "trạm y tế", "chợ dân sinh", "hệ thống thoát nước", "cụm công nghiệp", "đê điều",
           "môi trường và vệ sinh", "an ninh trật tự"]
PLACES = ["thôn Đông", "thôn Đoài", "thôn Thượng", "thôn Hạ", "xóm Mới", "tổ dân phố số 3", "khu Văn Trì",
          "đường Nguyễn Trãi", "đường Lê Lợi", "phố Hàng Bạc", "đường Quang Trung", "ngõ Chùa", "khu tái định cư",
          "cánh đồng Mả Lạng", "bãi sông", "khu đô thị mới"]
BODY = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        "Xét đề nghị của Trưởng phòng Nội vụ và các đơn vị có liên quan;",
        "Các cơ quan, đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành quyết định này.",
        "Giao Văn phòng Ủy ban nhân dân theo dõi, đôn đốc và tổng hợp kết quả thực hiện.",
        "Kinh phí thực hiện từ nguồn ngân sách địa phương theo phân cấp hiện hành.",
        "Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo để xem xét, giải quyết.",
        "Báo cáo kết quả trước ngày 30 hằng tháng về Ủy ban nhân dân để tổng hợp.",
        "Tổ chức tuyên truyền sâu rộng đến cán bộ, đảng viên và nhân dân trên địa bàn.",
        "Phối hợp chặt chẽ với Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội."]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
           "Đỗ Văn Hùng", "Bùi Thị Lan", "Đặng Văn Minh", "Ngô Thị Nga"]
BLOCKS = [("government", 70), ("party", 20), ("mass", 10)]
RETENTION = [("permanent", 60), ("70y", 15), ("20y", 15), ("10y", 10)]


def _pages(rnd: random.Random) -> int:
    x = rnd.random()
    return 1 if x < 0.55 else 2 if x < 0.86 else 3 if x < 0.96 else 4


def generate(n: int, reference, seed: int = 19) -> Iterator[dict]:
    """`n` index documents (each with its content hash), document codes `S<record>.<order>`."""
    rnd = random.Random(seed)
    communes = reference.old_communes
    new_by_old = {}
    for row in reference.conversion or []:
        old = row.get("old_ward_code")
        if old and old not in new_by_old:
            new_by_old[old] = (row.get("new_ward_code"), row.get("new_ward_name"))
    counters: dict[tuple, int] = {}
    type_keys = [t for t in TYPES for _ in range(t[2])]
    blocks = [b for b, w in BLOCKS for _ in range(w)]
    retention = [r for r, w in RETENTION for _ in range(w)]
    for i in range(n):
        c = communes[rnd.randrange(len(communes))]
        abbr, type_name, _ = type_keys[rnd.randrange(len(type_keys))]
        year = rnd.randint(1995, 2025)
        month, day = rnd.randint(1, 12), rnd.randint(1, 28)
        block = blocks[rnd.randrange(len(blocks))]
        issuer = (f"Đảng ủy {c.name}" if block == "party" else f"Ủy ban nhân dân {c.name}" if block == "government"
                  else f"Hội Nông dân {c.name}")
        issuer_abbr = "ĐU" if block == "party" else "UBND" if block == "government" else "HND"
        key = (c.code, block, abbr, year)
        counters[key] = counters.get(key, 0) + rnd.randint(1, 7)
        number = counters[key]
        symbol = (f"{number}-{abbr}/{issuer_abbr}" if block == "party" else
                  f"{number}/{issuer_abbr}-VP" if abbr == "CV" else f"{number}/{abbr}-{issuer_abbr}")
        subject = (f"Về việc {VERBS[rnd.randrange(len(VERBS))]} {OBJECTS[rnd.randrange(len(OBJECTS))]} "
                   f"{PLACES[rnd.randrange(len(PLACES))]} {c.name.split(' ', 1)[1]} năm {year}")
        signer = SIGNERS[rnd.randrange(len(SIGNERS))]
        header = (f"{issuer.upper()} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: {symbol} "
                  f"{c.name.split(' ', 1)[1]}, ngày {day:02d} tháng {month:02d} năm {year} {type_name.upper()} "
                  f"{subject}")
        n_pages = _pages(rnd)
        pages = []
        for p in range(n_pages):
            body = " ".join(BODY[rnd.randrange(len(BODY))] for _ in range(rnd.randint(6, 12)))
            text = (header + " " + body) if p == 0 else body
            if p == n_pages - 1:
                text += f" Nơi nhận: Như trên; Lưu VT. TM. ỦY BAN NHÂN DÂN CHỦ TỊCH {signer}"
            pages.append({"n": p + 1, "page_id": f"syn{i}:{p}", "text": text})
        new_code, new_name = new_by_old.get(c.code, (None, None))
        record = f"S{c.district_code}.{c.code}.{year}.{i // 20:06d}"
        yield build_document({
            "document_code": f"{record}.{i % 20 + 1:03d}", "record_code": record, "type_key": abbr,
            "type_name": type_name, "number": number, "symbol": symbol,
            "document_date": f"{year}-{month:02d}-{day:02d}",
            "issuer": issuer, "subject": subject, "signer_title": "CHỦ TỊCH", "signer_name": signer,
            "agency_code": f"{c.code}-{block}", "agency_name": issuer, "district_code": c.district_code,
            "district_name": c.district_name, "old_commune_code": c.code, "old_commune_name": c.name,
            "new_commune_code": new_code, "new_commune_name": new_name, "block": block,
            "retention": retention[rnd.randrange(len(retention))], "pages": pages})
