-- Where each old district stands against each deadline on the as-of day (var as_of_date, default today), per
-- agency level × priority group × stage (blocks summed); what the deadline KPIs, the at-risk list and the weekly
-- report read.
--   share_done_*:             done / planned on the as-of day
--   remaining_*:              planned − done on the as-of day (never below 0)
--   remaining_*_at_deadline:  planned − done on the deadline day, for a deadline that has passed
--   days_to_deadline:         deadline − as-of day; days_overdue = its opposite once the deadline has passed
--   pace_pages_per_day:       pages that reached the stage in the 14 days ending on the as-of day, / 14
--   status:  'done'      nothing remains;
--            'overdue'   the deadline has passed with pages remaining ("quá hạn N ngày");
--            'at_risk'   the deadline is ahead and pace × days left < pages remaining (at the pace of the
--                        last 14 days the remaining pages are not done by the deadline);
--            'on_track'  otherwise.
--   is_next_deadline: per level × priority group, the stage whose deadline is the next that still applies: the
--     earliest deadline on or after the as-of day (the last stage of that day when several share it); when all
--     have passed, the last stage (loaded into the shared database), shown as overdue.
with progress as (
    select * from {{ ref('fct_digitization_progress') }}
    where priority_group > 0 and deadline is not null
),

as_of as (
    select max(date_day) as as_of_day from progress where not is_after_as_of
),

by_day as (
    select
        p.district_code, p.agency_level, p.priority_group, p.stage, p.stage_order, p.deadline, p.date_day,
        sum(p.planned_records) as planned_records,
        sum(p.planned_pages) as planned_pages,
        sum(p.actual_records_cum) as done_records,
        sum(p.actual_pages_cum) as done_pages,
        sum(p.pages_last_14_days) as pages_last_14_days
    from progress as p
    group by 1, 2, 3, 4, 5, 6, 7
),

as_of_rows as (
    select b.* from by_day as b join as_of as a on b.date_day = a.as_of_day
),

at_deadline as (
    select b.district_code, b.agency_level, b.priority_group, b.stage,
        b.done_records as done_records_at_deadline, b.done_pages as done_pages_at_deadline
    from by_day as b
    where b.date_day = b.deadline
),

next_deadline as (
    select agency_level, priority_group, stage
    from (
        select
            d.level as agency_level, d.priority_group, d.stage,
            row_number() over (
                partition by d.level, d.priority_group
                order by case when d.deadline >= a.as_of_day then 0 else 1 end,
                    case when d.deadline >= a.as_of_day then d.deadline end asc,
                    s.stage_order desc
            ) as rn
        from {{ ref('programme_deadlines') }} as d
        cross join as_of as a
        join (select distinct stage, stage_order from progress) as s on s.stage = d.stage
    ) as ranked
    where rn = 1
),

measured as (
    select
        n.*,
        a.as_of_day as as_of_date,
        datediff(n.deadline, a.as_of_day) as days_to_deadline,
        greatest(n.planned_records - n.done_records, 0) as remaining_records,
        greatest(n.planned_pages - n.done_pages, 0) as remaining_pages,
        case when n.deadline < a.as_of_day
            then greatest(n.planned_records - coalesce(d.done_records_at_deadline, 0), 0) end
            as remaining_records_at_deadline,
        case when n.deadline < a.as_of_day
            then greatest(n.planned_pages - coalesce(d.done_pages_at_deadline, 0), 0) end
            as remaining_pages_at_deadline,
        n.pages_last_14_days / 14 as pace_pages_per_day,
        nd.stage is not null as is_next_deadline
    from as_of_rows as n
    cross join as_of as a
    left join at_deadline as d
        on d.district_code = n.district_code and d.agency_level = n.agency_level
        and d.priority_group = n.priority_group and d.stage = n.stage
    left join next_deadline as nd
        on nd.agency_level = n.agency_level and nd.priority_group = n.priority_group and nd.stage = n.stage
)

select
    as_of_date,
    district_code,
    concat('old_district:', district_code) as locality_key,
    agency_level,
    priority_group,
    stage,
    stage_order,
    deadline,
    days_to_deadline,
    greatest(-days_to_deadline, 0) as days_overdue,
    cast(planned_records as int) as planned_records,
    cast(planned_pages as int) as planned_pages,
    cast(done_records as int) as done_records,
    cast(done_pages as int) as done_pages,
    case when planned_pages > 0 then done_pages / planned_pages end as share_done_pages,
    case when planned_records > 0 then done_records / planned_records end as share_done_records,
    cast(remaining_records as int) as remaining_records,
    cast(remaining_pages as int) as remaining_pages,
    cast(remaining_records_at_deadline as int) as remaining_records_at_deadline,
    cast(remaining_pages_at_deadline as int) as remaining_pages_at_deadline,
    cast(pages_last_14_days as int) as pages_last_14_days,
    pace_pages_per_day,
    case when days_to_deadline > 0 then remaining_pages / days_to_deadline end as pages_needed_per_day,
    case
        when remaining_pages = 0 and remaining_records = 0 then 'done'
        when days_to_deadline < 0 then 'overdue'
        when pace_pages_per_day * days_to_deadline < remaining_pages then 'at_risk'
        else 'on_track'
    end as status,
    is_next_deadline
from measured
