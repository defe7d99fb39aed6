{#- NAV's published percent change: 100 * change / last year's count, rounded half
    away from zero; null when last year had no participants (or is not known).
    Written with floor and explicit casts so that DuckDB, PostgreSQL and Spark agree
    (their round() of a double and their integer division differ). -#}
{% macro percent_change(change, last_year) -%}
    {%- set change = '(' ~ change ~ ')' -%}
    {%- set last_year = '(' ~ last_year ~ ')' -%}
    case
        when {{ last_year }} > 0 then
            (case when {{ change }} < 0 then -1 else 1 end)
            * cast(
                floor(
                    (200.0 * abs({{ change }}) + {{ last_year }}) / (2.0 * {{ last_year }})
                ) as integer
            )
    end
{%- endmacro %}
