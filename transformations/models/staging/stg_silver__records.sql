-- title, keywords and notes are free text (may name persons): left out of the gold layer
select
    record_code,
    agency_code,
    district_code,
    archive_code,
    fonds_code,
    inventory_no,
    year_formed,
    file_number_symbol,
    retention_permanent,
    retention_years,
    case
        when retention_permanent then 'permanent'
        when retention_years is not null then concat(cast(retention_years as string), 'y')
        else 'unknown'
    end as retention_key,
    access_regime,
    language,
    start_date,
    end_date,
    document_count_inventory,
    document_count_found,
    sheet_count,
    page_count_inventory,
    page_count_scanned,
    page_count_ocr,
    page_count_match,
    box_number,
    priority_group,
    arranged_on,
    first_scanned_at,
    has_restricted_documents,
    updated_at
from {{ source('silver', 'records') }}
