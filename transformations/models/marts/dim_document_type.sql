-- Document types of Decree 30/2020 and Guide 36 (seed document_types), plus 'unknown' for documents whose type
-- was not read (or is withheld because the document is restricted).
-- dbt-spark's session target loads an empty seed cell as the string 'None' (it quotes every value it binds), so
-- the seed's empty abbreviation (Công văn) is read through nullif.
with seed as (
    select nullif(type_abbr, 'None') as type_abbr, type_name, type_name_en, party_only
    from {{ ref('document_types') }}
)

select
    coalesce(type_abbr, 'none') as type_key,
    type_abbr,
    type_name,
    type_name_en,
    cast(party_only as boolean) as party_only
from seed
union all
select 'unknown', cast(null as string), 'Không xác định', 'Unknown', false
