-- Handover reports, typed (bàn giao): one row per report line
select
    trim(report_no) as report_no,
    trim(agency_code) as agency_code,
    trim(fonds_code) as fonds_code,
    {{ parse_vn_date('handover_date') }} as handover_date,
    {{ parse_int('box_count') }} as box_count,
    {{ parse_int('file_count') }} as file_count,
    {{ parse_decimal('shelf_metres') }} as shelf_metres,
    source_file,
    source_line
from {{ source('bronze', 'handover_reports') }}
