-- The recognised text of each page and OCR configuration, whitespace folded to single spaces (no word boxes):
-- the post-OCR corrected text (lake.domain.ocr.correct) that search reads, and the raw OCR text beside it. A page read
-- before the correction existed has no corrected text and keeps its raw text in both.
-- Only fct_page_texts reads it, and only for pages of documents that are neither classified nor hold personal data.
select
    page_id,
    config_id,
    trim(regexp_replace(coalesce(corrected_text, text), '\\s+', ' ')) as recognised_text,
    trim(regexp_replace(text, '\\s+', ' ')) as raw_text,
    corrected_text is not null as is_corrected,
    char_count
from {{ source('bronze', 'ocr_pages') }}
