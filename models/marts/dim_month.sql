with

months as (
    select distinct report_month
    from {{ ref('int_report_cube') }}
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
        month,
        year,
        month_number,
        {{ norwegian_month_name('month_number') }} as month_name
    from described
)

select
    month,
    year,
    month_number,
    month_name
from final
