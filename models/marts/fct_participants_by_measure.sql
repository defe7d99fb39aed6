{{ config(**by_month('month')) }}
with

participants_by_measure as (
    select * from {{ ref('int_participants_by_measure') }}
    where {{ in_build_months('report_month') }}
)

select
    report_month as month,
    county_code,
    participant_group_code,
    measure_code,
    participants
from participants_by_measure
