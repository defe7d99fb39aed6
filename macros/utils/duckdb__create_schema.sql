{#- dbt creates the schemas a command writes to before anything else, on-run-start
    hooks included: a write against target `published` stops here with the project's
    message instead of DuckDB's "attached in read-only mode". Otherwise dbt-duckdb's
    create schema for a DuckDB database, the only kind this project attaches. -#}
{% macro duckdb__create_schema(relation) -%}
    {{ refuse_writes_to_published() }}
    {%- call statement('create_schema') -%}
        create schema if not exists {{ relation.without_identifier() }}
    {%- endcall -%}
{% endmacro %}
