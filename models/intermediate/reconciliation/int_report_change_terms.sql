-- The identities of the change rules, as data: for every printed percent (a cell of
-- metric change_pct), the cells its rules read: the percent itself (term_role
-- percent), and its figure's count (participants, coefficient +1) and change from last
-- year (change, -1), each at its first printing. Last year's count is the count and
-- change terms summed with their coefficients (last_year_not_negative: at least 0);
-- the percent is NAV's formula of that change and last year's count
-- (percent_change_formula, macro percent_change). A percent whose figure prints no
-- change cannot be checked (int_report_changes_checked). Written here only:
-- int_report_changes_checked checks these terms, the locator reads them through
-- int_report_identity_terms. A view.
{{ config(materialized='view') }}
{%- set coordinates = reconciliation_coordinates() %}

with

located as (
    select * from {{ ref('int_report_cells_located') }}
),

cube as (
    select * from {{ ref('int_report_cube') }}
),

percents as (
    select
        report_month,
        table_code,
        page_number,
        line_number,
        column_number,
        {% for column in coordinates.values() -%}
            {{ column }},
        {% endfor -%}
        cell_value,
        is_suppressed
    from located
    where metric_code = 'change_pct'
),

percent_terms as (
    select
        percents.*,
        'percent' as term_role,
        0 as coefficient,
        percents.table_code as cell_table_code,
        percents.line_number as cell_line_number,
        percents.column_number as cell_column_number
    from percents
),

figure_terms as (
    select
        percents.report_month,
        percents.table_code,
        percents.page_number,
        percents.line_number,
        percents.column_number,
        {% for column in coordinates.values() -%}
            percents.{{ column }},
        {% endfor -%}
        counts_and_changes.cell_value,
        counts_and_changes.is_suppressed,
        counts_and_changes.metric_code as term_role,
        case when counts_and_changes.metric_code = 'participants' then 1 else -1 end
            as coefficient,
        counts_and_changes.first_table_code as cell_table_code,
        counts_and_changes.first_line_number as cell_line_number,
        counts_and_changes.first_column_number as cell_column_number
    from percents
    inner join cube as counts_and_changes
        on
            percents.report_month = counts_and_changes.report_month
            and counts_and_changes.metric_code in ('participants', 'change')
            {% for column in coordinates.values() -%}
                and percents.{{ column }} = counts_and_changes.{{ column }}
            {% endfor %}
),

terms as (
    select * from percent_terms
    union all
    select * from figure_terms
)

select * from terms
