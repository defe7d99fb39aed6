{%- set staged = [
    ref('stg_report__hovedgrupper'),
    ref('stg_report__fylke'),
    ref('stg_report__fylke_og_hovedgruppe'),
    ref('stg_report__fylke_og_alder'),
    ref('stg_report__fylke_alder_og_hovedgrupper'),
    ref('stg_report__fylke_og_tiltak'),
    ref('stg_report__fylke_tiltak_og_hovedgrupper'),
    ref('stg_report__tiltak_og_hovedgrupper'),
    ref('stg_report__tiltak_hovedgrupper_og_fylke'),
] -%}

{{ assert_printed_labels_known(staged) }}

with

unioned as (
    {% for relation in staged %}
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
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
