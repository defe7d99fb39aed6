-- Rule last_year_matches_earlier_report: last year's count derived from a report
-- (count - change) against the count printed in the report twelve months earlier,
-- for every figure that prints a change, when both reports are loaded.
--
-- Both reports print the counties of their own month's division. Where that is the
-- same division, the figures are compared county by county; across a reform, region
-- by region (the county of the 2020 division each county lies in), both sides summed.
-- NAV restates last year in the new division from its own records, so where a
-- municipality crossed the compared area's border between the two months, the
-- difference is real and kept, with status not_checkable: such a pair is neither
-- failed because of the reform nor passed without a comparison.
{{ config(**by_month('report_month')) }}
{%- set text = engine_type('varchar') %}

with

-- Every month: the earlier month of a pair is read, not built.
cube as (
    select * from {{ ref('int_report_cube') }}
),

changes as (
    select * from {{ ref('int_report_changes_pivoted') }}
    where {{ in_build_months('report_month') }}
),

month_pairs as (
    select * from {{ ref('int_report_month_pairs') }}
    where {{ in_build_months('report_month') }}
),

regions as (
    select * from {{ ref('int_county_regions') }}
),

area_border_moves as (
    select * from {{ ref('int_area_border_moves') }}
),

later_figures as (
    select
        month_pairs.report_month,
        month_pairs.earlier_month,
        month_pairs.comparison_level,
        changes.participant_group_code,
        changes.age_band_code,
        changes.measure_node,
        case
            when month_pairs.comparison_level = 'county' then changes.county_code
            else regions.region_code
        end as area_code,
        sum(changes.participants_last_year) as participants_last_year,
        max(case when changes.has_suppressed_cell then 1 else 0 end) = 1 as has_suppressed_cell
    from changes
    inner join month_pairs
        on changes.report_month = month_pairs.report_month
    inner join regions
        on changes.county_code = regions.county_code
    group by
        month_pairs.report_month,
        month_pairs.earlier_month,
        month_pairs.comparison_level,
        case
            when month_pairs.comparison_level = 'county' then changes.county_code
            else regions.region_code
        end,
        changes.participant_group_code,
        changes.age_band_code,
        changes.measure_node
),

earlier_figures as (
    select
        month_pairs.report_month,
        cube.participant_group_code,
        cube.age_band_code,
        cube.measure_node,
        case
            when month_pairs.comparison_level = 'county' then cube.county_code
            else regions.region_code
        end as area_code,
        sum(case when cube.is_suppressed then 0 else cube.cell_value end) as participants,
        max(case when cube.is_suppressed then 1 else 0 end) = 1 as has_suppressed_cell
    from cube
    inner join month_pairs
        on cube.report_month = month_pairs.earlier_month
    inner join regions
        on cube.county_code = regions.county_code
    where cube.metric_code = 'participants'
    group by
        month_pairs.report_month,
        case
            when month_pairs.comparison_level = 'county' then cube.county_code
            else regions.region_code
        end,
        cube.participant_group_code,
        cube.age_band_code,
        cube.measure_node
),

-- the compared areas whose border moved between the two months of a pair
moved_borders as (
    select distinct
        month_pairs.report_month,
        month_pairs.comparison_level,
        moved_areas.area_code
    from month_pairs
    inner join area_border_moves as moved_areas
        on
            month_pairs.comparison_level = moved_areas.comparison_level
            and month_pairs.earlier_month < moved_areas.moved_on
            and month_pairs.report_month >= moved_areas.moved_on
),

compared as (
    select
        later_figures.report_month,
        later_figures.earlier_month,
        later_figures.comparison_level,
        later_figures.area_code,
        later_figures.participant_group_code,
        later_figures.age_band_code,
        later_figures.measure_node,
        later_figures.participants_last_year,
        -- a figure the earlier report leaves out is zero there
        coalesce(earlier_figures.participants, 0) as earlier_participants,
        moved_borders.area_code is not null as is_border_moved,
        later_figures.has_suppressed_cell
        or coalesce(earlier_figures.has_suppressed_cell, false) as has_suppressed_cell
    from later_figures
    left join earlier_figures
        on
            later_figures.report_month = earlier_figures.report_month
            and later_figures.area_code = earlier_figures.area_code
            and later_figures.participant_group_code = earlier_figures.participant_group_code
            and later_figures.age_band_code = earlier_figures.age_band_code
            and later_figures.measure_node = earlier_figures.measure_node
    left join moved_borders
        on
            later_figures.report_month = moved_borders.report_month
            and later_figures.comparison_level = moved_borders.comparison_level
            and later_figures.area_code = moved_borders.area_code
),

checks as (
    select
        report_month,
        'last_year_matches_earlier_report' as rule_id,
        {{ dbt.concat([
            "'participants of '", "cast(earlier_month as " ~ text ~ ")",
            "'; '", "comparison_level", "'_code='", "area_code",
        ] + ledger_scope_parts(['participant_group_code', 'age_band_code', 'measure_node'])) }}
            as scope,
        earlier_month,
        comparison_level,
        area_code,
        participant_group_code,
        age_band_code,
        measure_node,
        is_border_moved,
        earlier_participants as expected,
        participants_last_year as observed,
        participants_last_year - earlier_participants as difference,
        case
            when has_suppressed_cell or is_border_moved then 'not_checkable'
            when participants_last_year = earlier_participants then 'pass'
            else 'fail'
        end as status
    from compared
)

select * from checks
