with

source as (
    select * from {{ ref('non_county_areas') }}
),

renamed as (
    select
        area_code,
        area_name,
        sort_order,
        description as area_description
    from source
)

select * from renamed
