-- Calendar from 1945 (oldest records) to 2030, with the programme's milestones.
with days as (
    select explode(sequence(to_date('1945-01-01'), to_date('2030-12-31'), interval 1 day)) as date_day
)

select
    date_day,
    cast(date_format(date_day, 'yyyyMMdd') as int) as date_key,
    year(date_day) as year,
    quarter(date_day) as quarter,
    month(date_day) as month,
    day(date_day) as day_of_month,
    dayofweek(date_day) as day_of_week,
    date_format(date_day, 'EEEE') as day_name_en,
    weekofyear(date_day) as iso_week,
    dayofweek(date_day) in (1, 7) as is_weekend,
    date_day >= to_date('{{ var("reorganisation_date") }}') as is_after_reorganisation,
    date_day >= to_date('{{ var("programme_start") }}') as is_in_programme
from days
