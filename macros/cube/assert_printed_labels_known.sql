{#- Stops the build with a message naming every printed label that the label-alias
    seed does not know, with the file, page and line it is printed on.

    Runs as the post-hook of int_report_cells_labelled, on the relation just built
    (`labelled`): a dbt test would only say how many rows failed, not which label to
    add. Returns no SQL, so the hook executes nothing when every label is known. -#}
{% macro assert_printed_labels_known(labelled) %}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- set unknown_sql -%}
            select distinct
                table_code,
                source_file,
                page_number,
                line_number,
                case
                    when sub_heading is null and subheading_role is not null then subheading_role
                    when row_label is null and row_label_role is not null then row_label_role
                    else column_role
                end as label_role,
                case
                    when sub_heading is null and subheading_role is not null then sub_heading_printed
                    when row_label is null and row_label_role is not null then row_label_printed
                    else column_label_printed
                end as printed_label
            from {{ labelled }}
            where
                (sub_heading is null and subheading_role is not null)
                or (row_label is null and row_label_role is not null)
                or (column_label is null and not is_total_column)
            order by source_file, line_number
            limit 20
        {%- endset -%}
        {%- set unknown = run_query(unknown_sql) -%}
        {%- if unknown.rows | length > 0 -%}
            {%- set lines = [] -%}
            {%- for row in unknown.rows -%}
                {%- do lines.append(
                    "  reports/" ~ row['source_file'] ~ ":" ~ row['line_number']
                    ~ " (page " ~ row['page_number'] ~ ", table " ~ row['table_code'] ~ "): "
                    ~ row['label_role'] ~ " label '" ~ row['printed_label'] ~ "'"
                ) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                "Unknown printed label(s); add each to seeds/reference/label_aliases.csv "
                ~ "(and to the reference seed of its role if it is a new member):\n"
                ~ (lines | join("\n"))
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
