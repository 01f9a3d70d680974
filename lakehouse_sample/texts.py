"""Text banks for the generated documents: types, topics and administrative sentences (Vietnamese, NFC).

Placeholders filled by ``documents.py``: {topic} {period} {unit} {unit_short} {subunits} {head}
{date} {date_long} {pct} {pct2} {n} {n2} {n3} {money} {year} {place} {superior}.
"""

from __future__ import annotations

# code -> (type name, abbreviation in the symbol, layout family, page range)
DOC_TYPES: dict[str, tuple[str, str, str, tuple[int, int]]] = {
    "NQ": ("Nghị quyết", "NQ", "decision", (1, 4)),
    "QĐ": ("Quyết định", "QĐ", "decision", (1, 3)),
    "CT": ("Chỉ thị", "CT", "notice", (1, 3)),
    "QC": ("Quy chế", "QC", "regulation", (2, 5)),
    "QyĐ": ("Quy định", "QyĐ", "regulation", (2, 4)),
    "TB": ("Thông báo", "TB", "notice", (1, 2)),
    "HD": ("Hướng dẫn", "HD", "plan", (2, 5)),
    "CTr": ("Chương trình", "CTr", "plan", (2, 5)),
    "KH": ("Kế hoạch", "KH", "plan", (2, 6)),
    "PA": ("Phương án", "PA", "plan", (2, 5)),
    "ĐA": ("Đề án", "ĐA", "plan", (3, 6)),
    "BC": ("Báo cáo", "BC", "report", (2, 6)),
    "BB": ("Biên bản", "BB", "minutes", (1, 4)),
    "TTr": ("Tờ trình", "TTr", "proposal", (1, 3)),
    "CĐ": ("Công điện", "CĐ", "notice", (1, 2)),
    "GM": ("Giấy mời", "GM", "invitation", (1, 1)),
    "GGT": ("Giấy giới thiệu", "GGT", "intro", (1, 1)),
    "GUQ": ("Giấy ủy quyền", "GUQ", "intro", (1, 1)),
    "CV": ("Công văn", "", "letter", (1, 2)),
    "GCN": ("Giấy chứng nhận", "GCN", "certificate", (1, 1)),
}

# which types each kind of agency issues (weights by repetition)
TYPES_BY_KIND = {
    "party": ["NQ", "NQ", "CT", "QĐ", "KH", "KH", "BC", "BC", "TB", "HD", "CTr", "CV", "GM", "QyĐ"],
    "ubnd": [
        "QĐ",
        "QĐ",
        "QĐ",
        "CT",
        "KH",
        "KH",
        "BC",
        "BC",
        "TB",
        "TTr",
        "CV",
        "CV",
        "GM",
        "PA",
        "ĐA",
        "CĐ",
        "GGT",
        "QC",
    ],
    "hdnd": ["NQ", "NQ", "BC", "TB", "GM", "BB", "KH", "CV", "TTr"],
    "phong": ["BC", "BC", "TTr", "TTr", "KH", "CV", "CV", "GM", "HD", "QĐ", "GUQ"],
    "mass": ["KH", "KH", "BC", "BC", "HD", "TB", "CTr", "CV", "GM", "QĐ", "BB", "GGT", "NQ"],
}

# topic phrase, keywords, information code (ký hiệu thông tin), blocks where it fits
TOPICS: list[tuple[str, str, str, str]] = [
    ("công tác phòng, chống thiên tai và tìm kiếm cứu nạn", "phòng chống thiên tai; cứu nạn", "03.05", "cq"),
    ("thu, chi ngân sách nhà nước", "ngân sách; dự toán; quyết toán", "02.01", "cq"),
    ("xây dựng nông thôn mới", "nông thôn mới", "02.04", "cq dt"),
    ("công tác cải cách hành chính", "cải cách hành chính", "01.03", "cq"),
    (
        "công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
        "tiếp công dân; khiếu nại; tố cáo",
        "01.06",
        "cq",
    ),
    ("công tác bảo vệ môi trường và vệ sinh môi trường khu dân cư", "môi trường; vệ sinh", "04.02", "cq dt"),
    ("công tác tuyển chọn và gọi công dân nhập ngũ", "tuyển quân; nghĩa vụ quân sự", "03.02", "cq"),
    ("công tác phòng cháy, chữa cháy", "phòng cháy chữa cháy", "03.04", "cq"),
    ("công tác quản lý đất đai và trật tự xây dựng", "đất đai; trật tự xây dựng", "04.01", "cq"),
    ("nhiệm vụ phát triển kinh tế - xã hội", "kinh tế - xã hội", "02.02", "cq dang dt"),
    ("công tác thi đua, khen thưởng", "thi đua; khen thưởng", "01.05", "cq dang dt"),
    ("công tác văn thư, lưu trữ", "văn thư; lưu trữ", "01.04", "cq"),
    ("công tác xây dựng Đảng và hệ thống chính trị", "xây dựng Đảng; hệ thống chính trị", "05.01", "dang"),
    (
        "công tác kiểm tra, giám sát và thi hành kỷ luật trong Đảng",
        "kiểm tra; giám sát; kỷ luật đảng",
        "05.02",
        "dang",
    ),
    (
        "việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "học tập và làm theo Bác",
        "05.03",
        "dang dt",
    ),
    ("công tác phát triển đảng viên mới", "phát triển đảng viên", "05.04", "dang"),
    ("công tác dân vận", "dân vận; quy chế dân chủ", "05.05", "dang dt"),
    (
        "cuộc vận động Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
        "vận động; đại đoàn kết toàn dân",
        "06.01",
        "dt",
    ),
    ("công tác chăm sóc, bảo vệ và giáo dục trẻ em", "trẻ em; gia đình", "06.03", "cq dt"),
    ("công tác dân số và kế hoạch hóa gia đình", "dân số; kế hoạch hóa gia đình", "06.04", "cq dt"),
    ("công tác phòng, chống tệ nạn xã hội", "tệ nạn xã hội; ma túy", "03.06", "cq dt"),
    ("công tác bảo đảm an ninh chính trị, trật tự an toàn xã hội", "an ninh; trật tự", "03.01", "cq dang dt"),
    ("công tác phổ biến, giáo dục pháp luật", "phổ biến pháp luật", "01.07", "cq dt"),
    (
        "công tác đền ơn đáp nghĩa và chăm sóc người có công",
        "người có công; đền ơn đáp nghĩa",
        "06.02",
        "cq dang dt",
    ),
    ("công tác giảm nghèo bền vững", "giảm nghèo; an sinh xã hội", "06.05", "cq dt"),
]

SUBJECT_BY_TYPE: dict[str, list[str]] = {
    "NQ": ["Về {topic} {period}", "Về nhiệm vụ trọng tâm {period}", "Về tăng cường {topic}"],
    "QĐ": [
        "Về việc ban hành Kế hoạch thực hiện {topic} {period}",
        "Về việc thành lập Ban Chỉ đạo {topic}",
        "Về việc kiện toàn Tổ công tác về {topic}",
        "Về việc phê duyệt kinh phí thực hiện {topic} {period}",
        "Về việc khen thưởng các tập thể, cá nhân có thành tích trong {topic} {period}",
    ],
    "CT": ["Về việc tăng cường {topic}", "Về việc đẩy mạnh {topic} {period}"],
    "QC": ["Quy chế phối hợp trong {topic}", "Quy chế làm việc của Ban Chỉ đạo {topic}"],
    "QyĐ": ["Quy định về {topic}", "Quy định trách nhiệm của người đứng đầu trong {topic}"],
    "TB": ["Kết luận của Thường trực tại cuộc họp về {topic}", "Về việc triển khai {topic} {period}"],
    "HD": ["Hướng dẫn thực hiện {topic} {period}", "Hướng dẫn tổ chức hội nghị sơ kết {topic}"],
    "CTr": [
        "Chương trình công tác trọng tâm về {topic} {period}",
        "Chương trình hành động thực hiện {topic}",
    ],
    "KH": ["Thực hiện {topic} {period}", "Triển khai {topic} {period}", "Kiểm tra {topic} {period}"],
    "PA": ["Phương án bảo đảm {topic} {period}", "Phương án tổ chức thực hiện {topic}"],
    "ĐA": ["Nâng cao hiệu quả {topic} giai đoạn {year}-{year5}"],
    "BC": ["Kết quả thực hiện {topic} {period}", "Sơ kết {topic} {period}", "Tổng kết {topic} {period}"],
    "BB": ["Hội nghị sơ kết {topic} {period}", "Cuộc họp triển khai {topic}"],
    "TTr": [
        "Về việc đề nghị phê duyệt dự toán kinh phí {topic} {period}",
        "Về việc đề nghị khen thưởng thành tích trong {topic}",
    ],
    "CĐ": ["Về việc chủ động ứng phó với mưa lớn, ngập úng trên địa bàn", "Về việc tăng cường {topic}"],
    "GM": ["Dự hội nghị sơ kết {topic} {period}", "Dự cuộc họp triển khai {topic}"],
    "GGT": [""],
    "GUQ": [""],
    "CV": [
        "V/v triển khai {topic} {period}",
        "V/v báo cáo kết quả {topic} {period}",
        "V/v đôn đốc thực hiện {topic}",
    ],
}

SENTENCES = {
    "intro": [
        "Thực hiện chỉ đạo của {superior}, {unit} đã triển khai đồng bộ các nhiệm vụ về {topic} {period}.",
        "Nhằm nâng cao hiệu quả {topic}, {unit} xây dựng kế hoạch với các nội dung cụ thể như sau.",
        "Căn cứ tình hình thực tế tại địa phương, {unit} đã xác định {topic} là nhiệm vụ trọng tâm {period}.",
        "Trong thời gian qua, {topic} trên địa bàn được các cấp, các ngành quan tâm chỉ đạo, "
        "đạt được nhiều kết quả tích cực.",
    ],
    "result": [
        "Các cơ quan, đơn vị đã chủ động xây dựng kế hoạch, phân công nhiệm vụ cụ thể cho từng cán bộ, "
        "công chức.",
        "Tỷ lệ hoàn thành chỉ tiêu đạt {pct}%, tăng {pct2}% so với cùng kỳ năm trước.",
        "Tổng kinh phí thực hiện là {money} đồng, được bố trí từ nguồn ngân sách địa phương và các nguồn "
        "huy động hợp pháp khác.",
        "Trong kỳ, đã tổ chức {n} hội nghị tuyên truyền với trên {n2} lượt người tham dự.",
        "Ban Chỉ đạo đã tiến hành {n} đợt kiểm tra tại {subunits}, kịp thời hướng dẫn, tháo gỡ khó khăn, "
        "vướng mắc phát sinh.",
        "Các chỉ tiêu chủ yếu đều đạt và vượt kế hoạch đề ra; đời sống vật chất, tinh thần của nhân dân "
        "tiếp tục được cải thiện.",
        "Tình hình an ninh chính trị, trật tự an toàn xã hội được giữ vững, không để xảy ra vụ việc "
        "phức tạp.",
        "Kết quả kiểm tra cho thấy {n} trên {n3} đơn vị thực hiện tốt, số còn lại cần khắc phục một số "
        "thiếu sót.",
        "Vào {date_long}, {unit} đã tổ chức hội nghị sơ kết, đánh giá kết quả thực hiện {topic}.",
        "Công tác tuyên truyền được đổi mới về nội dung và hình thức, thu hút đông đảo nhân dân hưởng ứng.",
        "Đến ngày {date}, toàn địa bàn đã hoàn thành {n2} hồ sơ, đạt {pct}% kế hoạch năm.",
        "Việc tiếp nhận và giải quyết hồ sơ được thực hiện đúng quy trình, bảo đảm công khai, minh bạch.",
    ],
    "limit": [
        "Bên cạnh những kết quả đạt được, {topic} vẫn còn một số tồn tại, hạn chế.",
        "Một số đơn vị chưa quan tâm đúng mức, việc triển khai còn chậm, chất lượng báo cáo chưa cao.",
        "Nguyên nhân chủ yếu là do lực lượng cán bộ còn mỏng, kinh phí bố trí cho nhiệm vụ này còn hạn chế.",
        "Công tác phối hợp giữa các cơ quan, đơn vị có lúc chưa chặt chẽ, thông tin báo cáo chưa kịp thời.",
        "Ý thức chấp hành của một bộ phận nhân dân chưa cao, vẫn còn để xảy ra vi phạm.",
    ],
    "task": [
        "Tiếp tục đẩy mạnh công tác tuyên truyền, nâng cao nhận thức của cán bộ, đảng viên và nhân dân "
        "về {topic}.",
        "Tăng cường công tác kiểm tra, giám sát, kịp thời phát hiện và xử lý nghiêm các trường hợp vi phạm.",
        "Thường xuyên rà soát, đánh giá kết quả thực hiện, kịp thời đề xuất điều chỉnh những nội dung không "
        "còn phù hợp.",
        "Bố trí đủ nguồn lực, bảo đảm tiến độ và chất lượng các nhiệm vụ được giao.",
        "Phát huy vai trò của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội trong việc vận động "
        "nhân dân tham gia.",
        "Người đứng đầu các cơ quan, đơn vị chịu trách nhiệm trước {head} về kết quả thực hiện nhiệm vụ "
        "tại đơn vị mình.",
        "Giao Văn phòng chủ trì, phối hợp với các cơ quan liên quan theo dõi, đôn đốc việc thực hiện.",
        "Chỉ đạo {subunits} xây dựng kế hoạch cụ thể, phân công cán bộ phụ trách từng nội dung công việc.",
        "Đẩy mạnh ứng dụng công nghệ thông tin trong quản lý, điều hành và giải quyết thủ tục hành chính.",
        "Rà soát, bổ sung quy chế làm việc, bảo đảm phân công rõ người, rõ việc, rõ thời gian hoàn thành.",
    ],
    "closing": [
        "Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện, báo cáo kết quả về {unit_short} "
        "trước ngày {date}.",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh kịp thời về "
        "{unit_short} để được hướng dẫn giải quyết.",
    ],
    "purpose": [
        "Quán triệt đầy đủ chủ trương của Đảng, chính sách, pháp luật của Nhà nước về {topic}.",
        "Xác định rõ nhiệm vụ, trách nhiệm của từng cơ quan, đơn vị và cá nhân trong tổ chức thực hiện.",
        "Bảo đảm thực hiện đúng tiến độ, chất lượng, tiết kiệm và hiệu quả.",
        "Huy động sự tham gia của cả hệ thống chính trị và nhân dân trên địa bàn.",
    ],
}

SECTION_HEADINGS = {
    "plan": ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG VÀ NHIỆM VỤ", "III. TỔ CHỨC THỰC HIỆN"],
    "report": ["I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ"],
    "minutes": ["I. THÀNH PHẦN THAM DỰ", "II. NỘI DUNG", "III. KẾT LUẬN"],
    "regulation": [
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Chương II",
        "NHỮNG QUY ĐỊNH CỤ THỂ",
        "Chương III",
        "TỔ CHỨC THỰC HIỆN",
    ],
}

RECIPIENTS_STATE = [
    "Như Điều 3;",
    "Thường trực Huyện ủy;",
    "Thường trực HĐND;",
    "Chủ tịch, các PCT UBND;",
    "Các phòng, ban, ngành;",
    "UBND các xã, thị trấn;",
    "Lưu: VT.",
]
RECIPIENTS_GENERIC = [
    "Như trên;",
    "Thường trực {party};",
    "Lãnh đạo {unit_short};",
    "Các đơn vị liên quan;",
    "Lưu: VT.",
]
RECIPIENTS_PARTY = [
    "Thường trực Thành ủy;",
    "Ban Tổ chức Thành ủy;",
    "Các đồng chí Huyện ủy viên;",
    "Các chi, đảng bộ trực thuộc;",
    "Lưu Văn phòng.",
]
