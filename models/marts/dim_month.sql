with

months as (
    select distinct report_month
    from {{ ref('int_report_cube') }}
),

month_names as (
    select * from {{ ref('stg_reference__month_names') }}
),

described as (
    select
        cast(report_month as date) as month,
        cast(extract(year from report_month) as integer) as year,
        cast(extract(month from report_month) as integer) as month_number
    from months
),

final as (
    select
        described.month,
        described.year,
        described.month_number,
        month_names.month_name
    from described
    inner join month_names
        on described.month_number = month_names.month_number
)

select
    month,
    year,
    month_number,
    month_name
from final
