select
    old_commune_code,
    new_commune_code,
    old_commune_name,
    old_district_code,
    new_commune_name,
    is_partial,
    is_primary_successor
from {{ source('silver', 'locality_mapping') }}
