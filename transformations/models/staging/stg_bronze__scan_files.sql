-- Scan file sightings (one row per landing path + content); a re-delivered path keeps its latest version.
with ranked as (
    select
        *,
        row_number() over (partition by source_path order by version desc) as rn
    from {{ source('bronze', 'landing_files') }}
    where file_kind = 'scan'
)
select
    source_path,
    sha256,
    version,
    page_count,
    batch_id,
    site_code,
    district_code,
    agency_code,
    record_code,
    scanned_at,
    capture_device,
    declared_dpi,
    ingested_at
from ranked
where rn = 1
