{#- A report seed hangs together: a cell is `printed` exactly when it has a number;
    every cell of a printed line has the same page, sub-heading and label; every line
    has one cell per header column (1..n, n the width of its sub-table's header);
    a column number has one header label per sub-table and page. Returns each line
    or column that breaks this, with what is wrong. -#}
{% test printed_rows_are_whole(model) %}

with

cells as (
    select
        report_month,
        page_number,
        line_number,
        coalesce(sub_heading, '') as sub_table,
        row_label,
        column_number,
        column_label,
        cell_value,
        cell_status
    from {{ model }}
),

header_widths as (
    select
        report_month,
        sub_table,
        page_number,
        max(column_number) as header_width
    from cells
    group by report_month, sub_table, page_number
),

bad_cells as (
    select
        report_month,
        line_number,
        'cell status does not match its value' as problem
    from cells
    where
        cell_status not in ('printed', 'blank', 'suppressed')
        or (cell_status = 'printed') != (cell_value is not null)
),

bad_lines as (
    select
        cells.report_month,
        cells.line_number,
        'line is not one whole row of its table' as problem
    from cells
    inner join header_widths
        on
            cells.report_month = header_widths.report_month
            and cells.sub_table = header_widths.sub_table
            and cells.page_number = header_widths.page_number
    group by cells.report_month, cells.line_number
    having
        count(distinct cells.page_number) > 1
        or count(distinct cells.sub_table) > 1
        or count(distinct cells.row_label) > 1
        or count(*) != max(header_widths.header_width)
        or min(cells.column_number) != 1
        or max(cells.column_number) != count(*)
),

bad_columns as (
    select
        report_month,
        min(line_number) as line_number,
        'column number has more than one header label' as problem
    from cells
    group by report_month, sub_table, page_number, column_number
    having count(distinct column_label) > 1
)

select * from bad_cells
union all
select * from bad_lines
union all
select * from bad_columns

{% endtest %}
