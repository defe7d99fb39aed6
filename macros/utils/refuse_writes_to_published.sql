{#- A command that writes, run against target `published` (the default: the published
    warehouse attached read-only), stops here with what to run instead, before any model
    or seed: called by duckdb__create_schema, the first statement such a command runs. -#}
{% macro refuse_writes_to_published() %}
    {%- if execute and target.name == 'published'
        and flags.WHICH in ('build', 'run', 'seed', 'snapshot', 'test', 'clone') -%}
        {{ exceptions.raise_compiler_error(
            "dbt " ~ flags.WHICH ~ " would write, and target 'published' (the default when "
            ~ "NAV_TILTAK_TARGET is unset) only reads the published warehouse. "
            ~ "`make build` builds and publishes it; to build into a file of your own, "
            ~ "set NAV_TILTAK_TARGET=dev (warehouse/dev/nav_tiltak.duckdb, or the file "
            ~ "NAV_TILTAK_DB_PATH names)."
        ) }}
    {%- endif -%}
{% endmacro %}
