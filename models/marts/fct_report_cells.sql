-- Every number the report prints, where it is printed and what it counts: the way
-- back from any figure in the other marts to the report's page and line.
{{ config(**by_month('month')) }}
with

located as (
    select * from {{ ref('int_report_cells_located') }}
    where {{ in_build_months('report_month') }}
),

report_tables as (
    select * from {{ ref('stg_reference__report_tables') }}
),

measures as (
    select * from {{ ref('stg_reference__measures') }}
)

select
    located.report_month as month,
    located.table_code,
    report_tables.table_name,
    located.sub_heading_printed,
    located.row_label_printed,
    located.column_label_printed,
    located.source_file,
    located.page_number,
    located.line_number,
    located.column_number,
    located.county_code,
    located.participant_group_code,
    located.age_band_code,
    located.metric_code,
    located.cell_status,
    located.printed_value,
    located.cell_value as figure,
    coalesce(located.measure_group_code, 'total') as measure_group_code,
    coalesce(measures.measure_code, 'total') as measure_code
from located
inner join report_tables
    on located.table_code = report_tables.table_code
left join measures
    on located.measure_node = measures.measure_code
