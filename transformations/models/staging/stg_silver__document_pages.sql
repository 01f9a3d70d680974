select
    page_id,
    document_code,
    record_code,
    district_code,
    page_in_record,
    page_in_document,
    sha256,
    page_index,
    source_path,
    capture_device,
    declared_dpi,
    ocr_config_id,
    quality_class,
    updated_at as loaded_at
from {{ source('silver', 'document_pages') }}
