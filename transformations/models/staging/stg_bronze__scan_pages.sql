select
    page_id,
    sha256,
    page_index,
    width_px,
    height_px,
    color_mode,
    ingested_at
from {{ source('bronze', 'scan_pages') }}
