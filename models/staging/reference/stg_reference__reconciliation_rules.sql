with

source as (
    select * from {{ ref('reconciliation_rules') }}
),

renamed as (
    select
        rule_id,
        rule_description,
        sort_order
    from source
)

select * from renamed
