{{ config(materialized='table') }}
-- One row per page of a shared (not restricted) document with its recognised text (post-OCR corrected; the raw OCR
-- text beside it) and the document fields a search
-- shows: what the shared-dataset explorer and other agencies' search read, without joining bronze at query time.
-- Pages of classified documents or of documents with personal data are absent. A table rebuilt by every run, not an
-- incremental merge: a document that becomes restricted later must lose its text here at the next run.
select
    p.page_id,
    p.document_code,
    p.record_code,
    p.agency_code,
    p.district_code,
    p.page_in_document,
    d.type_key,
    d.number,
    d.symbol,
    d.issuer,
    d.subject,
    d.document_date,
    o.recognised_text,
    o.raw_text,
    o.is_corrected,
    o.char_count
from {{ ref('fct_pages') }} as p
inner join {{ ref('fct_documents') }} as d on d.document_code = p.document_code and not d.is_restricted
inner join {{ ref('stg_bronze__ocr_texts') }} as o on o.page_id = p.page_id and o.config_id = p.ocr_config_id
