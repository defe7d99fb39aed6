{#- Schemas are named by layer (staging, intermediate, marts, ...), not prefixed with
    the target schema: analysts and BI tools find the marts in schema `marts`.
    The variable schema_prefix puts a whole build beside the published schemas: on a
    server, navtiltak.publish builds into nav_tiltak_build_marts, ... and swaps marts in
    only when everything passed. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = var('schema_prefix', '') -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ prefix }}{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
