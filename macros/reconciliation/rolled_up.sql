{#- A fact summed to several levels at once, as one relation: one `group by` per
    grouping set, joined with `union all` (what `grouping sets` does, written so that
    every engine and sqlfluff read it).

    output_columns  the dimension columns of the result
    grouping_sets   a list of {output column: expression}; an output column a set does
                    not name is 'total' in that set's rows
    aggregates      a list of [name, aggregate expression] -#}
{% macro rolled_up(relation, output_columns, grouping_sets, aggregates) %}
    {%- for grouping in grouping_sets %}
        select
            month,
            {%- for column in output_columns %}
                {{ grouping.get(column, "'total'") }} as {{ column }},
            {%- endfor %}
            {%- for name, expression in aggregates %}
                {{ expression }} as {{ name }}{{ "," if not loop.last }}
            {%- endfor %}
        from {{ relation }}
        group by
            month
            {%- for column in output_columns if column in grouping %},
                {{ grouping[column] }}
            {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
