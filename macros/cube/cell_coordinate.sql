{#- A located cell's member code in one dimension (role): the member its
    sub-heading, row or column names, or 'total' for "I alt" and for a dimension the
    table does not break down. -#}
{% macro cell_coordinate(role) -%}
    case
        when subheading_role = '{{ role }}' then sub_heading_code
        when row_role = '{{ role }}' and is_table_total_row then 'total'
        when row_role = '{{ role }}' then row_code
        when column_role = '{{ role }}' and is_total_column then 'total'
        when column_role = '{{ role }}' then column_code
        else 'total'
    end
{%- endmacro %}
