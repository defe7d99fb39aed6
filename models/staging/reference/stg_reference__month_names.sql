with

source as (
    select * from {{ ref('month_names') }}
),

renamed as (
    select
        month_number,
        month_name,
        month_name_en
    from source
)

select * from renamed
