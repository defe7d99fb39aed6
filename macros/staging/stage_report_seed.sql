{#- Staging for one report seed: renames and casts, canonical labels through the
    label-alias seed, and flags for the printed "I alt" rows and column.

    The roles of the sub-heading, rows and columns come from the report_tables seed,
    so all nine report tables are staged by this one definition. Every join below
    matches at most one row (label_aliases is unique on role and printed label), so
    the grain stays one row per printed cell. -#}
{% macro stage_report_seed(seed_name) %}

with

source as (
    select * from {{ ref(seed_name) }}
),

report_table as (
    select * from {{ ref('report_tables') }}
    where seed_name = '{{ seed_name }}'
),

aliases as (
    select
        label_role,
        lower(printed_label) as printed_label_folded,
        canonical_name
    from {{ ref('label_aliases') }}
),

metrics as (
    select * from {{ ref('metrics') }}
),

renamed as (
    select
        cast({{ dbt.concat(["source.report_month", "'-01'"]) }} as date) as report_month,
        report_table.table_code,
        source.source_file,
        cast(source.page_number as integer) as page_number,
        cast(source.line_number as integer) as line_number,
        cast(source.column_number as integer) as column_number,
        source.sub_heading as sub_heading_printed,
        report_table.subheading_role,
        source.row_label as row_label_printed,
        source.column_label as column_label_printed,
        source.cell_status,
        cast(source.cell_value as integer) as printed_value,
        report_table.row_role,
        report_table.row_subtotal_role,
        report_table.column_role,
        {{ total_label_remainder('source.row_label') }} as row_total_remainder,
        lower(source.row_label) = 'i alt'
        or lower(source.row_label) like 'i alt %' as is_total_row,
        lower(source.column_label) = 'i alt' as is_total_column
    from source
    cross join report_table
),

flagged as (
    select
        *,
        is_total_row
        and (
            row_total_remainder = ''
            or lower(row_total_remainder) = lower(coalesce(sub_heading_printed, ''))
        ) as is_table_total_row
    from renamed
),

labelled as (
    select
        flagged.*,
        case
            when flagged.is_table_total_row then null
            when flagged.is_total_row then flagged.row_subtotal_role
            else flagged.row_role
        end as row_label_role,
        sub_heading_alias.canonical_name as sub_heading,
        row_alias.canonical_name as row_label,
        column_alias.canonical_name as column_label
    from flagged
    left join aliases as sub_heading_alias
        on
            sub_heading_alias.label_role = flagged.subheading_role
            and sub_heading_alias.printed_label_folded = lower(flagged.sub_heading_printed)
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
            and column_alias.label_role = flagged.column_role
            and column_alias.printed_label_folded = lower(flagged.column_label_printed)
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
            and metrics.metric_name = labelled.column_label
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

{% endmacro %}


{#- The text after "I alt " in a total row's label ('' for a bare "I alt"). -#}
{% macro total_label_remainder(label) -%}
    trim(substring({{ label }}, 6))
{%- endmacro %}
