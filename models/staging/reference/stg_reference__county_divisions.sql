with

source as (
    select * from {{ ref('county_divisions') }}
),

renamed as (
    select
        division_code,
        division_name,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        description as division_description
    from source
)

select * from renamed
