-- Retention periods (thời hạn bảo quản): permanent or a number of years; the 2025 scope is the permanent ones.
with standard as (
    select retention_key from values ('permanent'), ('70y'), ('50y'), ('20y'), ('10y'), ('5y'), ('unknown')
        as t (retention_key)
),

seen as (
    select distinct retention_key from {{ ref('stg_silver__records') }}
),

keys as (
    select retention_key from standard
    union
    select retention_key from seen
)

select
    retention_key,
    retention_key = 'permanent' as is_permanent,
    case when retention_key rlike '^[0-9]+y$' then cast(regexp_extract(retention_key, '^([0-9]+)', 1) as int) end
        as retention_years,
    case
        when retention_key = 'permanent' then 'Vĩnh viễn'
        when retention_key = 'unknown' then 'Không xác định'
        else concat(regexp_extract(retention_key, '^([0-9]+)', 1), ' năm')
    end as label_vi,
    case
        when retention_key = 'permanent' then 'Permanent'
        when retention_key = 'unknown' then 'Unknown'
        else concat(regexp_extract(retention_key, '^([0-9]+)', 1), ' years')
    end as label_en,
    retention_key = 'permanent' as in_scope_2025
from keys
