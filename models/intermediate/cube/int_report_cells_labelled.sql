-- Every printed cell read as the report means it: canonical labels through
-- label_aliases (case-insensitive), the roles of the table's sub-heading, rows and
-- columns (report_tables), which rows and columns are printed totals ("I alt",
-- "I alt <group>"), and the figure a cell stands for (metrics: a blank count is 0,
-- a blank percent is not computed). Every join matches at most one row (aliases
-- are unique on role and printed label), so the grain stays one row per cell.
--
-- Building it stops with a message naming every printed label that label_aliases
-- does not know, with its file and line: a test could only count them.
{{ config(**by_month('report_month')) }}
{{ config(post_hook="{{ assert_printed_labels_known(this) }}") }}

with

cells as (
    select * from {{ ref('int_report_cells_unioned') }}
    where {{ in_build_months('report_month') }}
),

report_tables as (
    select * from {{ ref('stg_reference__report_tables') }}
),

aliases as (
    select
        label_role,
        canonical_name,
        lower(printed_label) as printed_label_folded
    from {{ ref('stg_reference__label_aliases') }}
),

metrics as (
    select * from {{ ref('stg_reference__metrics') }}
),

with_roles as (
    select
        cells.*,
        report_tables.subheading_role,
        report_tables.row_role,
        report_tables.row_subtotal_role,
        report_tables.column_role,
        -- the text after "I alt " in a total row's label ('' for a bare "I alt")
        trim(substring(cells.row_label_printed, 6)) as row_total_remainder,
        lower(cells.row_label_printed) = 'i alt'
        or lower(cells.row_label_printed) like 'i alt %' as is_total_row,
        lower(cells.column_label_printed) = 'i alt' as is_total_column
    from cells
    inner join report_tables
        on cells.table_code = report_tables.table_code
),

flagged as (
    select
        *,
        is_total_row
        and (
            row_total_remainder = ''
            or lower(row_total_remainder) = lower(coalesce(sub_heading_printed, ''))
        ) as is_table_total_row
    from with_roles
),

labelled as (
    select
        flagged.*,
        sub_heading_alias.canonical_name as sub_heading,
        row_alias.canonical_name as row_label,
        column_alias.canonical_name as column_label,
        case
            when flagged.is_table_total_row then null
            when flagged.is_total_row then flagged.row_subtotal_role
            else flagged.row_role
        end as row_label_role
    from flagged
    left join aliases as sub_heading_alias
        on
            flagged.subheading_role = sub_heading_alias.label_role
            and lower(flagged.sub_heading_printed) = sub_heading_alias.printed_label_folded
    left join aliases as row_alias
        on
            not flagged.is_table_total_row
            and row_alias.label_role = case
                when flagged.is_total_row then flagged.row_subtotal_role
                else flagged.row_role
            end
            and row_alias.printed_label_folded = lower(case
                when flagged.is_total_row then flagged.row_total_remainder
                else flagged.row_label_printed
            end)
    left join aliases as column_alias
        on
            not flagged.is_total_column
            and flagged.column_role = column_alias.label_role
            and lower(flagged.column_label_printed) = column_alias.printed_label_folded
),

valued as (
    select
        labelled.*,
        coalesce(metrics.metric_code, 'participants') as metric_code,
        coalesce(metrics.is_additive, true) as is_additive,
        case labelled.cell_status
            when 'printed' then labelled.printed_value
            when 'blank' then
                case when coalesce(metrics.blank_means_zero, true) then 0 end
        end as cell_value,
        labelled.cell_status = 'suppressed' as is_suppressed
    from labelled
    left join metrics
        on
            labelled.column_role = 'metric'
            and labelled.column_label = metrics.metric_name
)

select
    report_month,
    table_code,
    source_file,
    page_number,
    line_number,
    column_number,
    sub_heading_printed,
    subheading_role,
    sub_heading,
    row_label_printed,
    row_role,
    is_total_row,
    is_table_total_row,
    row_label_role,
    row_label,
    column_label_printed,
    column_role,
    is_total_column,
    column_label,
    metric_code,
    is_additive,
    cell_status,
    is_suppressed,
    printed_value,
    cell_value
from valued
