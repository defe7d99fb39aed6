-- Rule same_figure_in_every_table: a figure printed in several tables (the same
-- month, county, group, age band, measure and column) is the same number
-- everywhere. Every printing after the first, next to the first.
{{ config(**by_month('report_month')) }}
{%- set coordinates = reconciliation_coordinates() %}
{%- set text = engine_type('varchar') %}

with

located as (
    select * from {{ ref('int_report_cells_located') }}
    where {{ in_build_months('report_month') }}
),

cube as (
    select * from {{ ref('int_report_cube') }}
    where {{ in_build_months('report_month') }}
),

compared as (
    select
        located.report_month,
        located.table_code,
        located.page_number,
        located.line_number,
        located.column_number,
        located.county_code,
        located.participant_group_code,
        located.age_band_code,
        located.measure_node,
        located.metric_code,
        cube.first_table_code,
        cube.first_line_number,
        cube.first_column_number,
        cube.cell_value as expected,
        located.cell_value as observed,
        case
            when located.is_suppressed or cube.is_suppressed then 'not_checkable'
            when
                located.cell_value = cube.cell_value
                or (located.cell_value is null and cube.cell_value is null)
                then 'pass'
            else 'fail'
        end as status
    from located
    inner join cube
        on
            located.report_month = cube.report_month
            and located.county_code = cube.county_code
            and located.participant_group_code = cube.participant_group_code
            and located.age_band_code = cube.age_band_code
            and located.measure_node = cube.measure_node
            and located.metric_code = cube.metric_code
    where
        not (
            located.table_code = cube.first_table_code
            and located.line_number = cube.first_line_number
        )
),

checks as (
    select
        report_month,
        'same_figure_in_every_table' as rule_id,
        {{ dbt.concat([
            "table_code", "' line '", "cast(line_number as " ~ text ~ ")",
            "' column '", "cast(column_number as " ~ text ~ ")",
            "' = '", "first_table_code", "' line '",
            "cast(first_line_number as " ~ text ~ ")",
        ]) }} as scope,
        table_code,
        page_number,
        line_number,
        column_number,
        {% for column in coordinates.values() -%}
            {{ column }},
        {% endfor -%}
        metric_code,
        first_table_code,
        first_line_number,
        first_column_number,
        expected,
        observed,
        observed - expected as difference,
        status
    from compared
)

select * from checks
