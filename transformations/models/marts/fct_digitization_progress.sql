{#- Laid out for the dashboards' filters: files compacted and Z-ordered on locality and day after each build.
    Tagged as_of: its figures depend on the day of the build, so `lakehouse transform` rebuilds it (and what reads
    it) when the day moved, even with no new data (lake.apps.build_state). -#}
{{ config(tags=['as_of'], post_hook="OPTIMIZE {{ this }} ZORDER BY (district_code, date_day)") }}
-- Progress series per old district × agency level × block × priority group × stage, shaped for the dashboards:
-- one row per series and per day that matters, not a dense daily grid. The days: every day on which the pipeline
-- recorded an event (earlier than the programme's first day, var programme_start: counted on that day), the first
-- day, the as-of day (var as_of_date, default today) and every deadline of Decision 155 from the first day on
-- (the deadline horizon, so a burn-down reaches its deadline). Every series has the same days, so a chart may
-- sum series on any day. After the as-of day the actual figures stay at the as-of value (is_after_as_of).
-- Planned figures come from fct_digitization_plan (from what was handed over, or an official target), deadlines
-- from seed programme_deadlines; actual figures only from the pipeline's own tables (int_progress__events).
--   planned_*_to_date:   the plan spread linearly from programme_start to the stage's deadline
--   share_complete_*:    cumulative actual / planned total
--   pages_last_14_days:  actual pages of the 14 days ending on the row's day; pace_pages_per_day = that / 14
--   is_on_track:         done, or cumulative + pace × days left reaches the planned pages by the deadline
{% set stages = var('progress_stages') %}
with plan as (
    select district_code, agency_level, block, priority_group, expected_records, expected_pages
    from {{ ref('fct_digitization_plan') }}
),

events as (
    select * from {{ ref('int_progress__events') }}
),

combos as (
    select district_code, agency_level, block, priority_group from plan
    union
    select district_code, agency_level, block, priority_group from events
),

stages as (
    select * from values
    {% for s in stages %}('{{ s }}', {{ loop.index }}){% if not loop.last %}, {% endif %}{% endfor %}
        as t (stage, stage_order)
),

bounds as (
    select
        to_date('{{ var("programme_start") }}') as start_day,
        greatest(
            to_date('{{ var("programme_start") }}'),
            {% if var('as_of_date', none) %}to_date('{{ var("as_of_date") }}'){% else %}current_date(){% endif %}
        ) as as_of_day
),

spine as (
    select distinct date_day from (
        select greatest(e.event_date, b.start_day) as date_day
        from events as e cross join bounds as b
        where e.event_date <= b.as_of_day
        union all
        select start_day from bounds
        union all
        select as_of_day from bounds
        union all
        select dl.deadline
        from {{ ref('programme_deadlines') }} as dl cross join bounds as b
        where dl.deadline >= b.start_day
    ) as d
),

daily as (
    select
        e.district_code, e.agency_level, e.block, e.priority_group, e.stage,
        greatest(e.event_date, b.start_day) as date_day,
        sum(e.records) as records,
        sum(e.pages) as pages
    from events as e
    cross join bounds as b
    where e.event_date <= b.as_of_day
    group by 1, 2, 3, 4, 5, 6
),

grid as (
    select c.*, s.stage, s.stage_order, d.date_day
    from combos as c
    cross join stages as s
    cross join spine as d
),

series as (
    select
        g.*,
        coalesce(dy.records, 0) as actual_records_day,
        coalesce(dy.pages, 0) as actual_pages_day,
        sum(coalesce(dy.records, 0)) over w as actual_records_cum,
        sum(coalesce(dy.pages, 0)) over w as actual_pages_cum,
        sum(coalesce(dy.pages, 0)) over w14 as pages_last_14_days
    from grid as g
    left join daily as dy
        on dy.district_code = g.district_code and dy.agency_level = g.agency_level and dy.block = g.block
        and dy.priority_group = g.priority_group and dy.stage = g.stage and dy.date_day = g.date_day
    window w as (
        partition by g.district_code, g.agency_level, g.block, g.priority_group, g.stage
        order by g.date_day rows between unbounded preceding and current row
    ),
    w14 as (
        partition by g.district_code, g.agency_level, g.block, g.priority_group, g.stage
        order by datediff(g.date_day, to_date('{{ var("programme_start") }}')) range between 13 preceding and current row
    )
),

measured as (
    select
        s.*,
        coalesce(p.expected_records, 0) as planned_records,
        coalesce(p.expected_pages, 0) as planned_pages,
        dl.deadline,
        b.start_day,
        s.date_day > b.as_of_day as is_after_as_of,
        datediff(s.date_day, b.start_day) + 1 as days_elapsed,
        datediff(dl.deadline, s.date_day) as days_to_deadline,
        least(1.0, greatest(0.0, datediff(s.date_day, b.start_day) / greatest(datediff(dl.deadline, b.start_day), 1)))
            as planned_share_to_date
    from series as s
    cross join bounds as b
    left join plan as p
        on p.district_code = s.district_code and p.agency_level = s.agency_level and p.block = s.block
        and p.priority_group = s.priority_group
    left join {{ ref('programme_deadlines') }} as dl
        on dl.stage = s.stage and dl.level = s.agency_level and dl.priority_group = s.priority_group
)

select
    date_day,
    district_code,
    concat('old_district:', district_code) as locality_key,
    agency_level,
    block,
    priority_group,
    stage,
    stage_order,
    planned_records,
    planned_pages,
    cast(round(planned_records * planned_share_to_date) as int) as planned_records_to_date,
    cast(round(planned_pages * planned_share_to_date) as int) as planned_pages_to_date,
    cast(actual_records_day as int) as actual_records_day,
    cast(actual_pages_day as int) as actual_pages_day,
    cast(actual_records_cum as int) as actual_records_cum,
    cast(actual_pages_cum as int) as actual_pages_cum,
    case when planned_records > 0 then actual_records_cum / planned_records end as share_complete_records,
    case when planned_pages > 0 then actual_pages_cum / planned_pages end as share_complete_pages,
    deadline,
    days_to_deadline,
    cast(pages_last_14_days as int) as pages_last_14_days,
    pages_last_14_days / 14 as pace_pages_per_day,
    is_after_as_of,
    case
        when planned_pages = 0 then true
        when actual_pages_cum >= planned_pages then true
        when days_to_deadline is null or days_to_deadline < 0 then false
        else actual_pages_cum + (pages_last_14_days / 14) * days_to_deadline >= planned_pages
    end as is_on_track
from measured
