-- Rule family of the change columns, at every printed percent: the printed percent
-- equals NAV's formula (percent_change_formula), and last year's count, count -
-- change, is not negative (last_year_not_negative). One row per rule and cell.
{{ config(**by_month('report_month')) }}
{%- set coordinates = reconciliation_coordinates() %}
{%- set text = engine_type('varchar') %}

with

counts_and_changes as (
    select * from {{ ref('int_report_changes_pivoted') }}
    where {{ in_build_months('report_month') }}
),

located as (
    select * from {{ ref('int_report_cells_located') }}
    where {{ in_build_months('report_month') }}
),

percents_printed as (
    select
        report_month,
        table_code,
        page_number,
        line_number,
        column_number,
        county_code,
        participant_group_code,
        age_band_code,
        measure_node,
        cell_value as change_pct_published,
        is_suppressed
    from located
    where metric_code = 'change_pct'
),

checked as (
    select
        percents_printed.report_month,
        percents_printed.table_code,
        percents_printed.page_number,
        percents_printed.line_number,
        percents_printed.column_number,
        percents_printed.county_code,
        percents_printed.participant_group_code,
        percents_printed.age_band_code,
        percents_printed.measure_node,
        counts_and_changes.participants,
        counts_and_changes.change_from_last_year,
        counts_and_changes.participants_last_year,
        {{ percent_change(
            'counts_and_changes.change_from_last_year',
            'counts_and_changes.participants_last_year'
        ) }} as change_pct_expected,
        percents_printed.change_pct_published,
        percents_printed.is_suppressed
        or coalesce(counts_and_changes.has_suppressed_cell, true) as is_not_checkable
    from percents_printed
    left join counts_and_changes
        on
            percents_printed.report_month = counts_and_changes.report_month
            and percents_printed.county_code = counts_and_changes.county_code
            and percents_printed.participant_group_code = counts_and_changes.participant_group_code
            and percents_printed.age_band_code = counts_and_changes.age_band_code
            and percents_printed.measure_node = counts_and_changes.measure_node
),

percent_checks as (
    select
        report_month,
        'percent_change_formula' as rule_id,
        {{ dbt.concat(
            ["table_code", "' line '", "cast(line_number as " ~ text ~ ")", "': metric change_pct'"]
            + ledger_scope_parts(coordinates.values() | list)
        ) }} as scope,
        table_code,
        page_number,
        line_number,
        column_number,
        {% for column in coordinates.values() -%}
            {{ column }},
        {% endfor -%}
        participants,
        change_from_last_year,
        participants_last_year,
        change_pct_expected as expected,
        change_pct_published as observed,
        change_pct_published - change_pct_expected as difference,
        case
            when is_not_checkable then 'not_checkable'
            when
                change_pct_expected = change_pct_published
                or (change_pct_expected is null and change_pct_published is null)
                then 'pass'
            else 'fail'
        end as status
    from checked
),

last_year_checks as (
    select
        report_month,
        'last_year_not_negative' as rule_id,
        {{ dbt.concat(
            ["table_code", "' line '", "cast(line_number as " ~ text ~ ")", "': last year'"]
            + ledger_scope_parts(coordinates.values() | list)
        ) }} as scope,
        table_code,
        page_number,
        line_number,
        column_number,
        {% for column in coordinates.values() -%}
            {{ column }},
        {% endfor -%}
        participants,
        change_from_last_year,
        participants_last_year,
        0 as expected,
        participants_last_year as observed,
        participants_last_year as difference,
        case
            when is_not_checkable then 'not_checkable'
            when participants_last_year >= 0 then 'pass'
            else 'fail'
        end as status
    from checked
),

checks as (
    select * from percent_checks
    union all
    select * from last_year_checks
)

select * from checks
