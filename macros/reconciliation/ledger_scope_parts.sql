{#- Concat parts that spell out a check's coordinates in the ledger's scope text:
    "; county_code=03; participant_group_code=total; ...". -#}
{% macro ledger_scope_parts(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.extend(["'; " ~ column ~ "='", column]) -%}
    {%- endfor -%}
    {{- return(parts) -}}
{%- endmacro %}
