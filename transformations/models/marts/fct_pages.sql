{{ config(materialized='incremental', incremental_strategy='merge', unique_key='page_id') }}
-- One row per page of the shared dataset (a page of a document in silver), with its scan, OCR and QC facts.
with lifecycle as (
    select * from {{ ref('int_pages__lifecycle') }}
)

select
    dp.page_id,
    dp.document_code,
    dp.record_code,
    r.agency_code,
    dp.district_code,
    dp.page_in_record,
    dp.page_in_document,
    dp.sha256,
    dp.page_index,
    dp.source_path,
    dp.capture_device,
    dp.declared_dpi,
    dp.ocr_config_id,
    dp.quality_class,
    o.mean_confidence as ocr_mean_confidence,
    o.char_count as ocr_char_count,
    o.effective_dpi,
    l.scanned_at,
    l.recognised_at,
    l.qc_passed_at,
    dp.loaded_at,
    greatest(dp.loaded_at, coalesce(l.recognised_at, dp.loaded_at)) as changed_at
from {{ ref('stg_silver__document_pages') }} as dp
left join {{ ref('stg_silver__records') }} as r on r.record_code = dp.record_code
left join {{ ref('stg_bronze__ocr_pages') }} as o on o.page_id = dp.page_id
left join lifecycle as l on l.page_id = dp.page_id
{% if is_incremental() %}
where greatest(dp.loaded_at, coalesce(l.recognised_at, dp.loaded_at))
    > (select coalesce(max(changed_at), timestamp'1900-01-01') from {{ this }})
{% endif %}
