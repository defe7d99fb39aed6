{#- Stops the build with a message naming every printed label that the label-alias
    seed does not know, with the file, page and line it is printed on.

    Called from the model that first reads all staged report tables; at that point
    the staging views exist, so the check runs against the data being built. A dbt
    test would only say how many rows failed, not which label to add. -#}
{% macro assert_printed_labels_known(staged_relations) %}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- set unknown_sql -%}
            {% for relation in staged_relations %}
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
                from {{ relation }}
                where
                    (sub_heading is null and subheading_role is not null)
                    or (row_label is null and row_label_role is not null)
                    or (column_label is null and not is_total_column)
                {% if not loop.last %}union all{% endif %}
            {% endfor %}
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
