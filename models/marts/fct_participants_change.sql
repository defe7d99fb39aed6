{{ config(**by_month('month')) }}
with

participants_change as (
    select * from {{ ref('int_participants_change') }}
    where {{ in_build_months('report_month') }}
)

select
    report_month as month,
    county_code,
    participant_group_code,
    participants,
    participants_last_year,
    change_from_last_year,
    change_pct_published,
    change_pct
from participants_change
