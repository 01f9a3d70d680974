-- Progress events: records and pages that reached a stage on a day, per old district × agency level × block ×
-- priority group. Records count on the day the whole record reached the stage; pages count one by one
-- (handed over and arranged pages are the record's inventory page count, as no page exists yet then).
-- Each lifecycle is read once and unpivoted with stack() (one row per stage reached): a union of one select
-- per stage re-read the lifecycle views six and four times and, at 1 M documents, ran the Thrift server out of
-- memory broadcasting the records relation to every branch at once.
{% set record_stages = var('progress_stages') %}
{% set page_stages = ['scanned', 'recognised', 'qc_passed', 'loaded'] %}
with records as (
    select * from {{ ref('int_records__lifecycle') }}
),

record_events as (
    select
        r.district_code, r.agency_level, r.block, r.priority_group,
        s.stage,
        s.event_date,
        1 as records,
        case when s.stage in ('handed_over', 'arranged') then coalesce(r.pages_planned_by_inventory, 0) else 0 end
            as pages
    from records as r
    lateral view stack(
        {{ record_stages | length }},
        {% for stage in record_stages %}'{{ stage }}', r.{{ stage }}_on{% if not loop.last %}, {% endif %}{% endfor %}
    ) s as stage, event_date
    where s.event_date is not null
),

-- pages per record (or per district for pages without a record) per stage and day, before the join
page_days as (
    select
        p.record_code,
        p.district_code,
        s.stage,
        s.event_date,
        count(*) as pages
    from {{ ref('int_pages__lifecycle') }} as p
    lateral view stack(
        {{ page_stages | length }},
        {% for stage in page_stages %}'{{ stage }}', p.{{ stage }}_on{% if not loop.last %}, {% endif %}{% endfor %}
    ) s as stage, event_date
    where s.event_date is not null
    group by p.record_code, p.district_code, s.stage, s.event_date
),

page_events as (
    select
        coalesce(r.district_code, p.district_code, 'unknown') as district_code,
        coalesce(r.agency_level, 'unknown') as agency_level,
        coalesce(r.block, 'unknown') as block,
        coalesce(r.priority_group, 0) as priority_group,
        p.stage,
        p.event_date,
        0 as records,
        p.pages
    from page_days as p
    left join records as r on r.record_code = p.record_code
)

select
    district_code, agency_level, block, priority_group, stage, event_date,
    sum(records) as records,
    sum(pages) as pages
from (
    select * from record_events
    union all
    select * from page_events
) as e
group by district_code, agency_level, block, priority_group, stage, event_date
