with

measures as (
    select * from {{ ref('stg_reference__measures') }}
),

measure_groups as (
    select * from {{ ref('stg_reference__measure_groups') }}
)

select
    measures.measure_code,
    measures.measure_name,
    measures.measure_name_en,
    measures.measure_group_code,
    measure_groups.measure_group_name,
    measure_groups.measure_group_name_en,
    measures.sort_order
from measures
inner join measure_groups
    on measures.measure_group_code = measure_groups.measure_group_code
