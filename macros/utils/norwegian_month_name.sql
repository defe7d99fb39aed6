{#- The Norwegian name of a month number, lowercase as in running text ("november"). -#}
{% macro norwegian_month_name(month_number) -%}
    {%- set names = [
        'januar', 'februar', 'mars', 'april', 'mai', 'juni',
        'juli', 'august', 'september', 'oktober', 'november', 'desember'
    ] -%}
    case {{ month_number }}
        {% for name in names -%}
            when {{ loop.index }} then '{{ name }}'
        {% endfor -%}
    end
{%- endmacro %}
