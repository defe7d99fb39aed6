with

age_bands as (
    select * from {{ ref('stg_reference__age_bands') }}
)

select
    age_band_code,
    age_band_name,
    min_age,
    max_age,
    sort_order
from age_bands
