-- Hà Nội administrative units before and after 1 Jul 2025, with each old commune's primary successor.
with units as (
    select * from {{ ref('stg_silver__localities') }}
),

successor as (
    select old_commune_code, min(new_commune_code) as successor_commune_code
    from {{ ref('stg_silver__locality_mapping') }}
    where is_primary_successor
    group by old_commune_code
)

select
    u.locality_key,
    u.unit_kind,
    u.unit_code,
    u.unit_name,
    u.unit_level,
    u.district_code,
    u.district_name,
    u.valid_from,
    u.valid_to,
    u.valid_to is null as is_current,
    s.successor_commune_code,
    case when s.successor_commune_code is not null then concat('new_commune:', s.successor_commune_code) end
        as successor_locality_key
from units as u
left join successor as s
    on u.unit_kind = 'old_commune' and s.old_commune_code = u.unit_code
