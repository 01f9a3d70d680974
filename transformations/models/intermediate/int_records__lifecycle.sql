-- One row per record (hồ sơ) of the inventories with its agency's level and block, its priority group and the
-- day it reached each stage. handed_over: the agency's earliest handover report; arranged: the inventory's
-- completion date; scanned / recognised / qc_passed / loaded: the day its last page reached the stage (NULL
-- while any of its pages has not).
with handover as (
    select agency_code, min(handover_date) as handed_over_on
    from {{ ref('stg_bronze__handover_reports') }}
    group by agency_code
),

page_stages as (
    select
        record_code,
        count(*) as pages,
        case when count(scanned_on) = count(*) then max(scanned_on) end as scanned_on,
        case when count(recognised_on) = count(*) then max(recognised_on) end as recognised_on,
        case when count(qc_passed_on) = count(*) then max(qc_passed_on) end as qc_passed_on,
        case when count(loaded_on) = count(*) then max(loaded_on) end as loaded_on
    from {{ ref('int_pages__lifecycle') }}
    where record_code is not null
    group by record_code
)

select
    r.record_code,
    r.agency_code,
    r.district_code,
    coalesce(a.agency_level, 'unknown') as agency_level,
    coalesce(a.block, 'unknown') as block,
    coalesce(r.priority_group, 0) as priority_group,
    coalesce(r.page_count_inventory, r.page_count_scanned) as pages_planned_by_inventory,
    h.handed_over_on,
    r.arranged_on,
    ps.scanned_on,
    ps.recognised_on,
    ps.qc_passed_on,
    ps.loaded_on
from {{ ref('stg_silver__records') }} as r
left join {{ ref('stg_silver__agencies') }} as a on a.agency_code = r.agency_code
left join handover as h on h.agency_code = r.agency_code
left join page_stages as ps on ps.record_code = r.record_code
