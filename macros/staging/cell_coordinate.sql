{#- A located cell's member code in one dimension (role): the member its
    sub-heading, row or column names, or 'total' for "I alt" and for a dimension the
    table does not break down. -#}
{% macro cell_coordinate(role) -%}
    case
        when subheading_role = '{{ role }}' then sub_heading_code
        when row_role = '{{ role }}' then
            case when is_table_total_row then 'total' else row_code end
        when column_role = '{{ role }}' then
            case when is_total_column then 'total' else column_code end
        else 'total'
    end
{%- endmacro %}
