-- One row per record (hồ sơ): agency, locality, retention, priority, dates and page/document counts.
-- No free text (title, keywords, notes stay in silver).
select
    r.record_code,
    r.agency_code,
    r.district_code,
    concat('old_district:', r.district_code) as district_locality_key,
    a.locality_key,
    r.retention_key,
    r.priority_group,
    r.archive_code,
    r.fonds_code,
    r.inventory_no,
    r.year_formed,
    r.file_number_symbol,
    r.access_regime,
    r.language,
    r.start_date,
    r.end_date,
    r.box_number,
    r.document_count_inventory,
    r.document_count_found,
    r.sheet_count,
    r.page_count_inventory,
    r.page_count_scanned,
    r.page_count_ocr,
    r.page_count_match,
    r.arranged_on,
    r.first_scanned_at,
    r.has_restricted_documents,
    r.updated_at
from {{ ref('stg_silver__records') }} as r
left join {{ ref('dim_agency') }} as a on a.agency_code = r.agency_code
