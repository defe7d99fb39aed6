with

source as (
    select * from {{ ref('counties') }}
),

renamed as (
    select
        county_code,
        county_name,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        region_code,
        county_code_2024,
        note as county_note
    from source
)

select * from renamed
