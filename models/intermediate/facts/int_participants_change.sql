-- F3: month x county x participant group with the count, the change from the same
-- month last year and the percent as published; last year's count and the percent
-- recomputed. A row the report leaves out is all zero (no percent).
{{ config(**by_month('report_month')) }}
with

cube as (
    select * from {{ ref('int_report_cube') }}
    where {{ in_build_months('report_month') }}
),

printed as (
    select
        report_month,
        county_code,
        participant_group_code,
        max(case when metric_code = 'participants' then cell_value end) as participants,
        max(case when metric_code = 'change' then cell_value end) as change_from_last_year,
        max(case when metric_code = 'change_pct' then cell_value end) as change_pct_published,
        max(
            case when metric_code = 'change' and not is_suppressed then 1 else 0 end
        ) = 1 as is_change_printed,
        max(case when is_suppressed then 1 else 0 end) = 1 as has_suppressed_cell
    from cube
    where
        age_band_code = 'total'
        and measure_node = 'total'
        and county_code != 'total'
        and participant_group_code != 'total'
    group by report_month, county_code, participant_group_code
),

grid as (
    select * from {{ ref('int_county_group_months') }}
    where {{ in_build_months('report_month') }}
),

completed as (
    select
        grid.report_month,
        grid.county_code,
        grid.participant_group_code,
        printed.change_pct_published,
        case
            when printed.report_month is null then 0
            else printed.participants
        end as participants,
        case
            when printed.report_month is null then 0
            else printed.change_from_last_year
        end as change_from_last_year,
        coalesce(printed.has_suppressed_cell, false) as has_suppressed_cell
    from grid
    left join printed
        on
            grid.report_month = printed.report_month
            and grid.county_code = printed.county_code
            and grid.participant_group_code = printed.participant_group_code
),

derived as (
    select
        *,
        participants - change_from_last_year as participants_last_year,
        {{ percent_change('change_from_last_year', 'participants - change_from_last_year') }}
            as change_pct
    from completed
)

select * from derived
