-- The digitization plan per old district × agency level × block × priority group: records and pages expected.
--   From what was handed over (int_plan__handover, rule in its header): the handover reports' files (else boxes,
--   else metres of shelf), split by the inventories' priority groups (unlisted files: group 3, "and the rest");
--   pages from the inventories' page counts where known, else an estimate per file (agency's mean, metres of
--   shelf, programme mean).
--   An official target (seed official_targets, set by the city) overrides the derived figures of its row.
with handover as (
    select
        district_code, agency_level, block, priority_group,
        sum(files_handed_over) as files_handed_over,
        sum(records_listed) as records_listed,
        sum(expected_records) as expected_records,
        sum(expected_pages) as expected_pages
    from {{ ref('int_plan__handover') }}
    group by district_code, agency_level, block, priority_group
),

official as (
    select district_code, level as agency_level, block, priority_group, expected_records, expected_pages
    from {{ ref('official_targets') }}
)

select
    coalesce(o.district_code, h.district_code) as district_code,
    concat('old_district:', coalesce(o.district_code, h.district_code)) as locality_key,
    coalesce(o.agency_level, h.agency_level) as agency_level,
    coalesce(o.block, h.block) as block,
    coalesce(o.priority_group, h.priority_group) as priority_group,
    cast(coalesce(o.expected_records, h.expected_records, 0) as int) as expected_records,
    cast(coalesce(o.expected_pages, h.expected_pages, 0) as int) as expected_pages,
    cast(coalesce(h.expected_records, 0) as int) as handover_records,
    cast(coalesce(h.expected_pages, 0) as int) as handover_pages,
    cast(coalesce(h.records_listed, 0) as int) as records_listed,
    case when o.district_code is not null then 'official' else 'handover' end as plan_source
from handover as h
full outer join official as o
    on o.district_code = h.district_code and o.agency_level = h.agency_level and o.block = h.block
    and o.priority_group = h.priority_group
