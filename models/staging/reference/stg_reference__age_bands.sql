with

source as (
    select * from {{ ref('age_bands') }}
),

renamed as (
    select
        age_band_code,
        age_band_name,
        min_age,
        max_age,
        sort_order
    from source
)

select * from renamed
