{#- Staging for one report seed: renames and casts, and the code of the table the
    seed holds. Nothing is joined and nothing is interpreted: canonical labels,
    "I alt" roles and metrics are intermediate work (int_report_cells_labelled).

    All nine report seeds have the same columns (navtiltak/extract/seeds.py writes
    them), so one definition stages them all; each staging model passes its seed and
    its table's code (seeds/reference/report_tables.csv; a relationships test holds
    the two together). -#}
{% macro stage_report_seed(seed_relation, table_code) %}

with

source as (
    select * from {{ seed_relation }}
),

renamed as (
    select
        cast({{ dbt.concat(["report_month", "'-01'"]) }} as date) as report_month,
        '{{ table_code }}' as table_code,
        source_file,
        cast(page_number as integer) as page_number,
        cast(line_number as integer) as line_number,
        cast(column_number as integer) as column_number,
        sub_heading as sub_heading_printed,
        row_label as row_label_printed,
        column_label as column_label_printed,
        cell_status,
        cast(cell_value as integer) as printed_value
    from source
)

select * from renamed

{% endmacro %}
