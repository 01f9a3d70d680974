-- The plan from what was handed over: expected records and pages per agency × priority group.
-- Rule (also in the docs of fct_digitization_plan):
--   files handed over, per handover report line: the report's number of files (Số hồ sơ); where it is missing,
--     boxes × var plan_files_per_box; where that is missing too, metres of shelf × var plan_files_per_shelf_metre.
--   records per priority group: the agency's inventoried records (mục lục) in their priority group; files handed
--     over but not (yet) listed in an inventory (handed over − listed, when positive) go to priority group 3,
--     "ưu tiên 3 và còn lại" (the rest).
--   pages: the inventory's page count of each listed record where it is known (else its scanned page count);
--     every other record gets the agency's pages per file, estimated in this order: the mean of its listed records
--     with a known page count; else its metres of shelf × var plan_pages_per_shelf_metre / files handed over;
--     else the programme's mean pages per listed record; else var plan_pages_per_file.
with handover_lines as (
    select
        agency_code,
        shelf_metres,
        coalesce(
            cast(file_count as double),
            box_count * {{ var('plan_files_per_box') }},
            shelf_metres * {{ var('plan_files_per_shelf_metre') }}
        ) as files
    from {{ ref('stg_bronze__handover_reports') }}
    where agency_code is not null and agency_code <> ''
),

handover as (
    select agency_code, cast(round(sum(files)) as int) as files_handed_over, sum(shelf_metres) as shelf_metres
    from handover_lines
    group by agency_code
),

listed as (
    select
        agency_code,
        priority_group,
        count(*) as records,
        count(pages_planned_by_inventory) as records_with_pages,
        coalesce(sum(pages_planned_by_inventory), 0) as pages_known
    from {{ ref('int_records__lifecycle') }}
    group by agency_code, priority_group
),

listed_by_agency as (
    select agency_code, sum(records) as records, sum(records_with_pages) as records_with_pages,
        sum(pages_known) as pages_known
    from listed
    group by agency_code
),

programme as (
    select sum(pages_known) / nullif(sum(records_with_pages), 0) as pages_per_file from listed_by_agency
),

agencies as (
    select
        coalesce(h.agency_code, l.agency_code) as agency_code,
        h.files_handed_over,
        coalesce(l.records, 0) as records_listed,
        greatest(coalesce(h.files_handed_over, 0) - coalesce(l.records, 0), 0) as records_unlisted,
        case
            when l.records_with_pages > 0 then 'inventory'
            when h.shelf_metres > 0 and h.files_handed_over > 0 then 'shelf_metres'
            when p.pages_per_file is not null then 'programme_mean'
            else 'default'
        end as pages_rule,
        coalesce(
            l.pages_known / nullif(l.records_with_pages, 0),
            h.shelf_metres * {{ var('plan_pages_per_shelf_metre') }} / nullif(h.files_handed_over, 0),
            p.pages_per_file,
            {{ var('plan_pages_per_file') }}
        ) as pages_per_file
    from handover as h
    full outer join listed_by_agency as l on l.agency_code = h.agency_code
    cross join programme as p
),

-- one row per agency × priority group that has listed records, plus priority group 3 for the unlisted files
groups as (
    select agency_code, priority_group, records, records_with_pages, pages_known from listed
    union all
    select a.agency_code, 3, 0, 0, 0
    from agencies as a
    left anti join listed as l on l.agency_code = a.agency_code and l.priority_group = 3
    where a.records_unlisted > 0
)

select
    g.agency_code,
    coalesce(ag.district_code, 'unknown') as district_code,
    coalesce(ag.agency_level, 'unknown') as agency_level,
    coalesce(ag.block, 'unknown') as block,
    g.priority_group,
    a.files_handed_over,
    g.records as records_listed,
    case when g.priority_group = 3 then a.records_unlisted else 0 end as records_unlisted,
    a.pages_rule,
    a.pages_per_file,
    g.records + case when g.priority_group = 3 then a.records_unlisted else 0 end as expected_records,
    cast(round(
        g.pages_known
        + (g.records - g.records_with_pages + case when g.priority_group = 3 then a.records_unlisted else 0 end)
        * a.pages_per_file
    ) as int) as expected_pages
from groups as g
join agencies as a on a.agency_code = g.agency_code
left join {{ ref('stg_silver__agencies') }} as ag on ag.agency_code = g.agency_code
