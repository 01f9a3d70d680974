"""QC rules: codes, severities and the issue rows (never carrying document content)."""

from __future__ import annotations

RULES: dict[str, tuple[str, str]] = {
    # rule: (severity, description)
    "number_missing": ("warning", "Không đọc được số văn bản / document number not found"),
    "date_missing": ("warning", "Không đọc được ngày văn bản / document date not found"),
    "date_invalid": ("warning", "Ngày văn bản không hợp lệ / document date is not a valid date"),
    "date_out_of_record_range": ("warning", "Ngày văn bản ngoài khoảng thời gian của hồ sơ / "
                                 "document date outside the record's range"),
    "date_digit_suspect": ("warning", "Ngày văn bản nghi sai một chữ số (OCR) / document date one digit away "
                           "from the record's range (OCR suspect)"),
    "page_count_mismatch": ("error", "Số trang mục lục khác số trang quét / inventory page count differs from "
                            "the pages scanned"),
    "record_not_scanned": ("info", "Hồ sơ trong mục lục chưa có ảnh quét / inventory record without scans"),
    "scan_without_record": ("error", "Tệp quét không thuộc hồ sơ nào trong mục lục / scan file whose record is "
                            "not in any inventory"),
    "scan_without_manifest": ("error", "Tệp quét không có trong bảng kê lô / scan file not in its batch manifest"),
    "content_in_two_records": ("error", "Cùng nội dung tệp thuộc hai hồ sơ / same content filed under two "
                               "records"),
    "ocr_page_bad": ("error", "Trang OCR chất lượng kém / low-quality OCR page (bad)"),
    "ocr_page_suspect": ("warning", "Trang OCR đáng ngờ / suspect OCR page"),
    "ocr_page_missing": ("warning", "Trang chưa có kết quả OCR / page without OCR output"),
    "unknown_agency": ("error", "Mã cơ quan không có trong danh mục / agency code not in the register"),
    "unknown_locality": ("error", "Cơ quan gắn với địa bàn không có trong danh mục hành chính / agency's "
                         "locality not in the reference lists"),
    "inventory_boundary_invalid": ("warning", "Ranh giới văn bản trong mục lục không dùng được / unusable "
                                   "document boundary in the document list"),
    "inventory_document_mismatch": ("info", "Số/ký hiệu hoặc ngày đọc được khác mục lục văn bản / OCR "
                                    "number or date differs from the document list"),
    "document_count_mismatch": ("info", "Số văn bản tìm thấy khác mục lục / documents found differ from the "
                                "inventory count"),
    "field_needs_review": ("info", "Trường đọc được có độ tin cậy dưới ngưỡng, cần người xác nhận / fields "
                           "below the confidence threshold, for a person to confirm"),
    "number_handwritten": ("warning", "Số văn bản viết tay hoặc không đọc được, cần người nhập / number "
                           "handwritten or illegible, for a person to read"),
    "date_handwritten": ("warning", "Ngày văn bản viết tay hoặc không đọc được, cần người nhập / date "
                         "handwritten or illegible, for a person to read"),
    "issuer_unmatched": ("info", "Cơ quan ban hành không có trong danh mục cơ quan (giữ như đọc được) / issuer "
                         "not in the agency register (kept as read)"),
    "restriction_review": ("warning", "Hạn chế chia sẻ chưa chắc chắn, cần người xem xét / doubtful "
                           "restriction (personal data or secrecy mark), for a reviewer"),
}


def issue(rule: str, entity_type: str, entity_id: str, *, expected=None, actual=None, record_code=None,
          document_code=None, agency_code=None, district_code=None, detail: str | None = None) -> dict:
    """One qc_issues row (without audit columns)."""
    try:
        severity, description = RULES[rule]
    except KeyError:
        raise KeyError(f"unknown QC rule {rule!r}; known: {sorted(RULES)}") from None
    return {
        "rule": rule, "entity_type": entity_type, "entity_id": entity_id, "severity": severity,
        "reason": description if not detail else f"{description}: {detail}",
        "expected": None if expected is None else str(expected),
        "actual": None if actual is None else str(actual),
        "record_code": record_code, "document_code": document_code, "agency_code": agency_code,
        "district_code": district_code,
    }
