with

source as (
    select * from {{ ref('label_aliases') }}
),

renamed as (
    select
        label_role,
        printed_label,
        canonical_name,
        alias_reason
    from source
)

select * from renamed
