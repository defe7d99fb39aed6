-- Assigns every row of the measure tables to its measure group. The report prints
-- no group header: a group's detail rows come first and its "I alt <group>" row
-- closes them, often on the next page. So a row belongs to the group of the first
-- sub-total row at or after it (by line) within the same table and sub-table.
{{ config(**by_month('report_month')) }}
with

measure_rows as (
    select distinct
        report_month,
        table_code,
        line_number,
        row_label_role,
        row_label,
        coalesce(sub_heading_printed, '') as sub_table
    from {{ ref('int_report_cells_labelled') }}
    where
        row_label_role in ('measure', 'measure_group')
        and {{ in_build_months('report_month') }}
),

with_closing_line as (
    select
        *,
        min(case when row_label_role = 'measure_group' then line_number end) over (
            partition by report_month, table_code, sub_table
            order by line_number
            rows between current row and unbounded following
        ) as closing_line_number
    from measure_rows
),

grouped as (
    select
        measure_row.report_month,
        measure_row.table_code,
        measure_row.sub_table,
        measure_row.line_number,
        measure_row.row_label_role,
        measure_row.row_label,
        measure_row.closing_line_number,
        closing_row.row_label as measure_group_name
    from with_closing_line as measure_row
    left join measure_rows as closing_row
        on
            measure_row.report_month = closing_row.report_month
            and measure_row.table_code = closing_row.table_code
            and measure_row.sub_table = closing_row.sub_table
            and measure_row.closing_line_number = closing_row.line_number
)

select * from grouped
