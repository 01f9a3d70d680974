{{ config(materialized='table') }}
-- One row per page image (bronze.scan_pages of a scan file; the same content under two names is one page)
-- with the day it reached each stage: scanned (landing scanned_at), recognised (OCR), QC passed (work-site
-- QC log of its file), loaded (written to silver.document_pages, i.e. into the shared dataset).
with files as (
    select * from {{ ref('stg_bronze__scan_files') }}
),

pages as (
    select
        p.page_id,
        p.sha256,
        p.page_index,
        min(coalesce(f.scanned_at, f.ingested_at)) as scanned_at,
        min(f.record_code) as manifest_record_code,
        min(f.district_code) as manifest_district_code,
        collect_set(struct(f.batch_id, regexp_extract(f.source_path, '([^/]+)$', 1) as file_name)) as files
    from {{ ref('stg_bronze__scan_pages') }} as p
    inner join files as f on f.sha256 = p.sha256
    group by p.page_id, p.sha256, p.page_index
),

qc_passed as (
    select
        pg.page_id,
        min(q.checked_at) as qc_passed_at
    from (select page_id, explode(files) as fl from pages) as pg
    inner join {{ ref('stg_bronze__qc_logs') }} as q
        on q.batch_id = pg.fl.batch_id and q.file_name = pg.fl.file_name and q.is_passed
    group by pg.page_id
)

select
    pg.page_id,
    pg.sha256,
    pg.page_index,
    coalesce(dp.record_code, pg.manifest_record_code) as record_code,
    dp.document_code,
    coalesce(dp.district_code, pg.manifest_district_code) as district_code,
    pg.scanned_at,
    o.recognised_at,
    qc.qc_passed_at,
    dp.loaded_at,
    cast(pg.scanned_at as date) as scanned_on,
    cast(o.recognised_at as date) as recognised_on,
    cast(qc.qc_passed_at as date) as qc_passed_on,
    cast(dp.loaded_at as date) as loaded_on
from pages as pg
left join {{ ref('stg_bronze__ocr_pages') }} as o on o.page_id = pg.page_id
left join qc_passed as qc on qc.page_id = pg.page_id
left join {{ ref('stg_silver__document_pages') }} as dp on dp.page_id = pg.page_id
