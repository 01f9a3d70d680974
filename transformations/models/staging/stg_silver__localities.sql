select
    unit_kind,
    unit_code,
    concat(unit_kind, ':', unit_code) as locality_key,
    unit_name,
    unit_level,
    district_code,
    district_name,
    valid_from,
    valid_to,
    related_codes,
    updated_at
from {{ source('silver', 'localities') }}
