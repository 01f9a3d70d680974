-- Agencies (Party, government, mass organisations; district and commune level), their locality before 1 Jul 2025
-- and the custodian of their records after it.
select
    agency_code,
    agency_name,
    in_register,
    coalesce(agency_level, 'unknown') as agency_level,
    coalesce(block, 'unknown') as block,
    district_code,
    commune_code,
    case
        when agency_level = 'commune' and commune_code is not null then concat('old_commune:', commune_code)
        when district_code is not null then concat('old_district:', district_code)
    end as locality_key,
    archive_code,
    fonds_code,
    site_code,
    custodian_name,
    custodian_level,
    custodian_commune_code,
    case when custodian_commune_code is not null then concat('new_commune:', custodian_commune_code) end
        as custodian_locality_key,
    handover_date,
    handover_file_count,
    handover_box_count
from {{ ref('stg_silver__agencies') }}
