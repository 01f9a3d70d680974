-- Shared columns only: signer_name (personal data), recipients, spans and the inventory's free text stay in silver.
-- Restricted documents already have their text columns NULL in silver.documents.
select
    document_code,
    record_code,
    order_in_record,
    agency_code,
    district_code,
    first_page,
    last_page,
    page_count,
    boundary_source,
    layout,
    type_name,
    type_abbr,
    number,
    symbol,
    issuer_abbr,
    document_date,
    issuer,
    subject,
    secrecy is not null as is_classified,
    urgency,
    ocr_quality,
    mean_ocr_confidence,
    is_restricted,
    restriction_reasons,
    updated_at
from {{ source('silver', 'documents') }}
