-- F2, the finest grain of ages: month x county x participant group x age band,
-- zeros included. Suppressed cells have no count.
with

cube as (
    select * from {{ ref('int_report_cube') }}
),

members as (
    select * from {{ ref('int_dimension_members') }}
),

printed_counts as (
    select
        report_month,
        county_code,
        participant_group_code,
        age_band_code,
        cell_value as participants,
        is_suppressed
    from cube
    where
        metric_code = 'participants'
        and measure_node = 'total'
        and county_code != 'total'
        and participant_group_code != 'total'
        and age_band_code != 'total'
),

months as (
    select distinct report_month from cube
),

grid as (
    select
        months.report_month,
        counties.member_code as county_code,
        participant_groups.member_code as participant_group_code,
        age_bands.member_code as age_band_code
    from months
    cross join members as counties
    cross join members as participant_groups
    cross join members as age_bands
    where
        counties.member_role = 'county'
        and participant_groups.member_role = 'participant_group'
        and age_bands.member_role = 'age_band'
),

completed as (
    select
        grid.report_month,
        grid.county_code,
        grid.participant_group_code,
        grid.age_band_code,
        case
            when printed_counts.is_suppressed then null
            else coalesce(printed_counts.participants, 0)
        end as participants,
        coalesce(printed_counts.is_suppressed, false) as is_suppressed,
        printed_counts.report_month is not null as is_printed
    from grid
    left join printed_counts
        on
            grid.report_month = printed_counts.report_month
            and grid.county_code = printed_counts.county_code
            and grid.participant_group_code = printed_counts.participant_group_code
            and grid.age_band_code = printed_counts.age_band_code
)

select * from completed
