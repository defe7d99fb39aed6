{#- Stops the build naming every printed county that was not a county in force in
    its report's month (seeds/reference/counties.csv), with file, page and line: a
    2021 report that prints "Akershus" (02 until 2019, 32 from 2024) is misdated or
    misprinted, and no county code would be right for it.

    Post-hook of int_report_cells_located, on the relation just built (`located`);
    returns no SQL. -#}
{% macro assert_printed_counties_in_force(located) %}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- set unresolved_sql -%}
            select distinct
                table_code,
                source_file,
                page_number,
                line_number,
                report_month,
                case
                    when subheading_role = 'county' then sub_heading_printed
                    else row_label_printed
                end as printed_label
            from {{ located }}
            where county_code is null
            order by source_file, line_number
            limit 20
        {%- endset -%}
        {%- set unresolved = run_query(unresolved_sql) -%}
        {%- if unresolved.rows | length > 0 -%}
            {%- set lines = [] -%}
            {%- for row in unresolved.rows -%}
                {%- do lines.append(
                    "  reports/" ~ row['source_file'] ~ ":" ~ row['line_number']
                    ~ " (page " ~ row['page_number'] ~ ", table " ~ row['table_code'] ~ "): "
                    ~ "county '" ~ row['printed_label'] ~ "' was not a county in "
                    ~ row['report_month'].strftime('%Y-%m')
                ) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                "Printed county not in force in the report's month; a report prints the "
                ~ "counties of the division in force then (seeds/reference/counties.csv, "
                ~ "county_divisions.csv):\n" ~ (lines | join("\n"))
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
