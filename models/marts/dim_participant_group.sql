with

participant_groups as (
    select * from {{ ref('stg_reference__participant_groups') }}
)

select
    participant_group_code,
    participant_group_name,
    participant_group_name_en,
    sort_order
from participant_groups
