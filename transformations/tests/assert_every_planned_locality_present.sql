-- Every locality × level × block × priority of the plan has its full series (every day of the spine) for all six
-- stages, and every planned district is a locality of dim_locality.
with expected as (
    select p.district_code, p.agency_level, p.block, p.priority_group, count(distinct d.date_day) * 6 as rows
    from {{ ref('fct_digitization_plan') }} as p
    cross join (select distinct date_day from {{ ref('fct_digitization_progress') }}) as d
    group by 1, 2, 3, 4
),

got as (
    select district_code, agency_level, block, priority_group, count(*) as rows
    from {{ ref('fct_digitization_progress') }}
    group by 1, 2, 3, 4
)

select e.district_code, e.agency_level, e.block, e.priority_group, e.rows as expected_rows, g.rows as got_rows
from expected as e
left join got as g
    on g.district_code = e.district_code and g.agency_level = e.agency_level and g.block = e.block
    and g.priority_group = e.priority_group
where g.rows is null or g.rows <> e.rows
union all
select p.district_code, null, null, null, null, null
from (select distinct district_code from {{ ref('fct_digitization_plan') }} where district_code <> 'unknown') as p
left anti join {{ ref('dim_locality') }} as l on l.locality_key = concat('old_district:', p.district_code)
