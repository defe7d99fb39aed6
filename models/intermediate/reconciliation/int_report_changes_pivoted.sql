-- Every figure the report prints a change for (the count tables), with its count,
-- its change from the same month last year and last year's count (count - change),
-- side by side: what the percent, last-year and cross-month rules check.
{{ config(**by_month('report_month')) }}
with

cube as (
    select * from {{ ref('int_report_cube') }}
    where {{ in_build_months('report_month') }}
),

pivoted as (
    select
        report_month,
        county_code,
        participant_group_code,
        age_band_code,
        measure_node,
        max(case when metric_code = 'participants' then cell_value end) as participants,
        max(case when metric_code = 'change' then cell_value end) as change_from_last_year,
        max(case when is_suppressed then 1 else 0 end) = 1 as has_suppressed_cell
    from cube
    where metric_code in ('participants', 'change')
    group by report_month, county_code, participant_group_code, age_band_code, measure_node
    having max(case when metric_code = 'change' then 1 else 0 end) = 1
)

select
    *,
    participants - change_from_last_year as participants_last_year
from pivoted
