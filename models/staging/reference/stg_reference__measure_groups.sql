with

source as (
    select * from {{ ref('measure_groups') }}
),

renamed as (
    select
        measure_group_code,
        measure_group_name,
        measure_group_name_en,
        sort_order
    from source
)

select * from renamed
