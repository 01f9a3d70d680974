{{ config(materialized='incremental', incremental_strategy='merge', unique_key='document_code') }}
-- One row per document (văn bản). Restricted documents (classified or with personal data) are kept as rows
-- for counting, with every text column NULL; the signer's name is never carried.
select
    d.document_code,
    d.record_code,
    d.agency_code,
    d.district_code,
    case
        when d.type_name is null then 'unknown'
        when t.type_key is not null then t.type_key
        when d.type_name = 'Công văn' then 'none'
        else 'unknown'
    end as type_key,
    d.order_in_record,
    d.first_page,
    d.last_page,
    d.page_count,
    d.boundary_source,
    d.layout,
    d.number,
    d.symbol,
    d.issuer_abbr,
    d.document_date,
    d.issuer,
    d.subject,
    d.urgency,
    d.ocr_quality,
    d.mean_ocr_confidence,
    d.is_restricted,
    d.updated_at
from {{ ref('stg_silver__documents') }} as d
left join {{ ref('dim_document_type') }} as t on t.type_abbr = d.type_abbr
{% if is_incremental() %}
where d.updated_at > (select coalesce(max(updated_at), timestamp'1900-01-01') from {{ this }})
{% endif %}
