-- The recognised text of each page and OCR configuration, whitespace folded to single spaces (no word boxes).
-- Only fct_page_texts reads it, and only for pages of documents that are neither classified nor hold personal data.
select
    page_id,
    config_id,
    trim(regexp_replace(text, '\\s+', ' ')) as recognised_text,
    char_count
from {{ source('bronze', 'ocr_pages') }}
