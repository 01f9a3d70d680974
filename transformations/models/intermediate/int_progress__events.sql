-- Progress events: records and pages that reached a stage on a day, per old district × agency level × block ×
-- priority group. Records count on the day the whole record reached the stage; pages count one by one
-- (handed over and arranged pages are the record's inventory page count, as no page exists yet then).
with records as (
    select * from {{ ref('int_records__lifecycle') }}
),

record_events as (
    {% for stage in ['handed_over', 'arranged', 'scanned', 'recognised', 'qc_passed', 'loaded'] %}
    select
        district_code, agency_level, block, priority_group,
        '{{ stage }}' as stage,
        {{ stage }}_on as event_date,
        1 as records,
        {% if stage in ('handed_over', 'arranged') %}coalesce(pages_planned_by_inventory, 0){% else %}0{% endif %}
            as pages
    from records
    where {{ stage }}_on is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

page_events as (
    {% for stage in ['scanned', 'recognised', 'qc_passed', 'loaded'] %}
    select
        coalesce(r.district_code, p.district_code, 'unknown') as district_code,
        coalesce(r.agency_level, 'unknown') as agency_level,
        coalesce(r.block, 'unknown') as block,
        coalesce(r.priority_group, 0) as priority_group,
        '{{ stage }}' as stage,
        p.{{ stage }}_on as event_date,
        0 as records,
        1 as pages
    from {{ ref('int_pages__lifecycle') }} as p
    left join records as r on r.record_code = p.record_code
    where p.{{ stage }}_on is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
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
