with

source as (
    select * from {{ ref('participant_groups') }}
),

renamed as (
    select
        participant_group_code,
        participant_group_name,
        participant_group_name_en,
        sort_order
    from source
)

select * from renamed
