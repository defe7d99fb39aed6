-- F1, the finest grain of measures: month x county x participant group x measure,
-- for every measure the month's report prints, zeros included (the report leaves
-- zero rows out or blank). Suppressed cells have no count.
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
        measure_node as measure_code,
        cell_value as participants,
        is_suppressed
    from cube
    where
        metric_code = 'participants'
        and age_band_code = 'total'
        and county_code != 'total'
        and participant_group_code != 'total'
),

measures_published as (
    select distinct
        printed_counts.report_month,
        measures.member_code as measure_code
    from printed_counts
    inner join members as measures
        on
            measures.member_role = 'measure'
            and printed_counts.measure_code = measures.member_code
),

grid as (
    select
        county_group_months.report_month,
        county_group_months.county_code,
        county_group_months.participant_group_code,
        measures_published.measure_code
    from {{ ref('int_county_group_months') }} as county_group_months
    inner join measures_published
        on county_group_months.report_month = measures_published.report_month
    where {{ in_build_months('county_group_months.report_month') }}
),

completed as (
    {{ completed_with_zeros(
        'grid',
        'printed_counts',
        ['report_month', 'county_code', 'participant_group_code', 'measure_code']
    ) }}
)

select * from completed
