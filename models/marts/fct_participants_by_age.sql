with

participants_by_age as (
    select * from {{ ref('int_participants_by_age') }}
)

select
    report_month as month,
    county_code,
    participant_group_code,
    age_band_code,
    participants
from participants_by_age
