with

source as (
    select * from {{ ref('report_tables') }}
),

renamed as (
    select
        table_code,
        table_name,
        seed_name,
        subheading_role,
        row_role,
        row_subtotal_role,
        column_role,
        subheadings_listed_in,
        sort_order
    from source
)

select * from renamed
