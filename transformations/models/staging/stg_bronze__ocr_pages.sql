-- OCR machine output without the text and word boxes
select
    page_id,
    sha256,
    page_index,
    config_id,
    mean_confidence,
    char_count,
    word_count,
    quality_class,
    effective_dpi,
    recognised_at
from {{ source('bronze', 'ocr_pages') }}
