-- Page counts reconcile between the facts and bronze: every page image of bronze.scan_pages that belongs to a
-- scan file of a known record is one row of fct_pages and nothing else is; per record, the scanned page count,
-- the pages of fct_pages and the pages of its documents agree.
with bronze_pages as (
    select distinct p.page_id
    from {{ source('bronze', 'scan_pages') }} as p
    inner join {{ source('bronze', 'landing_files') }} as f on f.sha256 = p.sha256 and f.file_kind = 'scan'
    inner join {{ ref('fct_records') }} as r on r.record_code = f.record_code
),

missing as (
    select b.page_id, 'in bronze, not in fct_pages' as problem
    from bronze_pages as b left anti join {{ ref('fct_pages') }} as f on f.page_id = b.page_id
),

extra as (
    select f.page_id, 'in fct_pages, not in bronze' as problem
    from {{ ref('fct_pages') }} as f left anti join bronze_pages as b on b.page_id = f.page_id
),

per_record as (
    select
        r.record_code,
        r.page_count_scanned,
        (select count(*) from {{ ref('fct_pages') }} as p where p.record_code = r.record_code) as fact_pages,
        (select coalesce(sum(d.page_count), 0) from {{ ref('fct_documents') }} as d where d.record_code = r.record_code)
            as document_pages
    from {{ ref('fct_records') }} as r
),

mismatch as (
    select record_code as page_id, 'record page counts disagree' as problem
    from per_record
    where not (page_count_scanned = fact_pages and fact_pages = document_pages)
)

select * from missing
union all
select * from extra
union all
select * from mismatch
