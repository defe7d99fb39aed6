-- Every printed cell placed in the report's cube: one code per dimension, 'total'
-- where the cell covers all members ("I alt", or a dimension the table does not
-- break down). Cells printed in several tables share one coordinate; that is what
-- lets the reconciliation compare tables without listing cells. A printed county
-- is the county of that name in force in the report's month; building the model
-- stops, naming file and line, when no county of that name was in force then.
{{ config(**by_month('report_month')) }}
{{ config(post_hook="{{ assert_printed_counties_in_force(this) }}") }}

with

cells as (
    select * from {{ ref('int_report_cells_labelled') }}
    where {{ in_build_months('report_month') }}
),

measure_rows as (
    select * from {{ ref('int_report_measure_rows_grouped') }}
    where {{ in_build_months('report_month') }}
),

members as (
    select * from {{ ref('int_dimension_members') }}
),

cells_with_measure_group as (
    select
        cells.*,
        measure_rows.measure_group_name
    from cells
    left join measure_rows
        on
            cells.report_month = measure_rows.report_month
            and cells.table_code = measure_rows.table_code
            and coalesce(cells.sub_heading_printed, '') = measure_rows.sub_table
            and cells.line_number = measure_rows.line_number
),

resolved as (
    select
        cell.*,
        sub_heading_member.member_code as sub_heading_code,
        row_group_member.member_code as row_measure_group_code,
        row_member.member_code as row_code,
        column_member.member_code as column_code
    from cells_with_measure_group as cell
    left join members as sub_heading_member
        on
            cell.subheading_role = sub_heading_member.member_role
            and cell.sub_heading = sub_heading_member.member_name
            and {{ member_in_force('sub_heading_member', 'cell.report_month') }}
    left join members as row_group_member
        on
            row_group_member.member_role = 'measure_group'
            and cell.measure_group_name = row_group_member.member_name
    left join members as row_member
        on
            cell.row_label_role = row_member.member_role
            and cell.row_label = row_member.member_name
            and {{ member_in_force('row_member', 'cell.report_month') }}
            and (
                cell.row_label_role != 'measure'
                or row_group_member.member_code = row_member.parent_code
            )
    left join members as column_member
        on
            cell.column_role = column_member.member_role
            and cell.column_label = column_member.member_name
),

located as (
    select
        report_month,
        table_code,
        source_file,
        page_number,
        line_number,
        column_number,
        sub_heading_printed,
        coalesce(sub_heading_printed, '') as sub_table,
        subheading_role,
        row_label_printed,
        column_label_printed,
        {{ cell_coordinate('county') }} as county_code,
        {{ cell_coordinate('participant_group') }} as participant_group_code,
        {{ cell_coordinate('age_band') }} as age_band_code,
        case
            when row_role = 'measure' and is_table_total_row then 'total'
            when row_role = 'measure' then row_code
            when column_role = 'measure_group' and is_total_column then 'total'
            when column_role = 'measure_group' then column_code
            else 'total'
        end as measure_node,
        case
            when row_role = 'measure' and not is_table_total_row then row_measure_group_code
            when column_role = 'measure_group' and not is_total_column then column_code
        end as measure_group_code,
        metric_code,
        metric_code = 'participants' as is_count,
        is_additive,
        cell_status,
        is_suppressed,
        printed_value,
        cell_value
    from resolved
)

select * from located
