-- F2, the finest grain of ages: month x county x participant group x age band,
-- zeros included. Suppressed cells have no count.
{{ config(**by_month('report_month')) }}
with

cube as (
    select * from {{ ref('int_report_cube') }}
    where {{ in_build_months('report_month') }}
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

grid as (
    select
        county_group_months.report_month,
        county_group_months.county_code,
        county_group_months.participant_group_code,
        age_bands.member_code as age_band_code
    from {{ ref('int_county_group_months') }} as county_group_months
    cross join members as age_bands
    where
        age_bands.member_role = 'age_band'
        and {{ in_build_months('county_group_months.report_month') }}
),

completed as (
    {{ completed_with_zeros(
        'grid',
        'printed_counts',
        ['report_month', 'county_code', 'participant_group_code', 'age_band_code']
    ) }}
)

select * from completed
