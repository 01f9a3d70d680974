from lake.domain.documents import find_personal_data


def _kinds(text):
    return [(s.kind, s.text) for s in find_personal_data(text)]


def test_names_after_honorifics():
    text = "Cấp giấy chứng nhận cho Ông Nguyễn Văn An và Bà Trần Thị Bích Ngọc, cùng đồng chí Lê Hoàng."
    assert _kinds(text) == [("person_name", "Nguyễn Văn An"), ("person_name", "Trần Thị Bích Ngọc"),
                            ("person_name", "Lê Hoàng")]


def test_titles_are_not_names():
    text = "Ông Chánh Văn phòng UBND Thành phố, Bà Giám đốc Sở Nội vụ chịu trách nhiệm thi hành."
    assert _kinds(text) == []


def test_name_stops_before_title():
    got = _kinds("Ông Phạm Văn Hùng Phó Chủ tịch UBND xã")
    assert got == [("person_name", "Phạm Văn Hùng")]


def test_full_personal_record():
    text = ("Họ và tên: bà Đỗ Thị Hạnh, sinh ngày 12/03/1978, CCCD số 001178012345 cấp ngày 10/5/2021, "
            "thường trú tại số 5 ngõ 12 phố Hàng Bạc, phường Hoàn Kiếm; điện thoại 0912345678.")
    got = _kinds(text)
    assert ("person_name", "Đỗ Thị Hạnh") in got
    assert ("date_of_birth", "12/03/1978") in got
    assert ("id_number", "001178012345") in got
    assert ("address", "số 5 ngõ 12 phố Hàng Bạc, phường Hoàn Kiếm") in got
    assert ("phone", "0912345678") in got
    for s in find_personal_data(text):
        assert text[s.start:s.end] == s.text
        assert 0 < s.confidence <= 1


def test_variants_without_diacritics_and_cmnd():
    text = "Ong Hoang Van Tu, nam sinh 1965, CMND so: 012345678, dia chi: xom 3, xa Van Phuc."
    got = _kinds(text)
    assert ("date_of_birth", "1965") in got
    assert ("id_number", "012345678") in got
    assert ("address", "xom 3, xa Van Phuc") in got


def test_plain_administrative_text_has_no_personal_data():
    text = "Căn cứ Quyết định số 155/QĐ-UBND ngày 05/6/2025 của UBND Thành phố; Số điện thoại đường dây nóng."
    assert find_personal_data(text) == []


def test_residence_words_as_plain_nouns_are_not_addresses():
    # a public police notice about a student dormitory names no one's address
    text = ("Công an phường phối hợp với Ban quản lý ký túc xá sinh viên kiểm tra tạm trú của sinh viên nội trú; "
            "tuần tra khu vực cổng trường và ký túc xá sinh viên.")
    assert find_personal_data(text) == []
    assert _kinds("Anh Lê Văn Nam tạm trú tại phòng 305 nhà B2.")[-1] == ("address", "phòng 305 nhà B2")
    assert _kinds("Ông Lê Văn Nam, thường trú xóm 3, xã Vân Phúc.")[-1] == ("address", "xóm 3, xã Vân Phúc")
