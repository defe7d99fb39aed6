{{ config(**by_month('month')) }}
with

participants_by_age as (
    select * from {{ ref('int_participants_by_age') }}
    where {{ in_build_months('report_month') }}
)

select
    report_month as month,
    county_code,
    participant_group_code,
    age_band_code,
    participants
from participants_by_age
