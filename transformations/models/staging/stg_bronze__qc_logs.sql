-- Work-site QC log, typed: one row per check of a scan file (dat = passed, khong_dat = failed)
select
    batch_id,
    file_name,
    {{ parse_ts('checked_at') }} as checked_at,
    lower(trim(result)) as result,
    lower(trim(result)) = 'dat' as is_passed,
    source_file,
    source_line
from {{ source('bronze', 'qc_logs') }}
