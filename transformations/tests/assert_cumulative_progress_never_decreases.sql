-- Cumulative actual records and pages never go down from one day to the next, in any series.
select *
from (
    select
        district_code, agency_level, block, priority_group, stage, date_day,
        actual_records_cum,
        actual_pages_cum,
        lag(actual_records_cum) over w as prev_records_cum,
        lag(actual_pages_cum) over w as prev_pages_cum
    from {{ ref('fct_digitization_progress') }}
    window w as (partition by district_code, agency_level, block, priority_group, stage order by date_day)
) as s
where actual_records_cum < prev_records_cum or actual_pages_cum < prev_pages_cum
