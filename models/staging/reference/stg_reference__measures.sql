with

source as (
    select * from {{ ref('measures') }}
),

renamed as (
    select
        measure_code,
        measure_group_code,
        measure_name,
        measure_name_en,
        sort_order
    from source
)

select * from renamed
