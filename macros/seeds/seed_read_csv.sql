{#-
    On DuckDB a seed is loaded by DuckDB's own CSV reader, never row by row through
    Python: dbt's default seed materialization first reads the whole file into an agate
    table (load_agate_table), which at 120 months of reports was most of the build's time
    and its memory peak. Only the DuckDB adapter dispatches here; every other adapter
    (PostgreSQL, Spark) keeps dbt's default seed materialization.

    The file is read with the types the seed declares in `column_types` (no inference: a
    column without a declared type is an error), its header, empty cells as null, UTF-8;
    the same reader and defaults as dbt-duckdb's `COPY` that loaded the rows before.
    `--vars '{seed_loader: agate}'` switches back to dbt's default (the test that proves
    both load the same values uses it).

    In a monthly update (build_months, macros/incremental/) a seed whose meta names its
    month_column (the report seeds) replaces only the rows of the months being built.
-#}
{% materialization seed, adapter='duckdb' %}
    {%- if var('seed_loader', 'read_csv') == 'agate' -%}
        {{ return(dbt.materialization_seed_default()) }}
    {%- endif -%}

    {%- set full_refresh_mode = should_full_refresh() -%}
    {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=model['alias']) -%}
    {%- set exists_as_table = old_relation is not none and old_relation.is_table -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set target_relation = this.incorporate(type='table') -%}

    {%- if old_relation is not none and old_relation.is_view -%}
        {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation.render())) }}
    {%- endif -%}

    {%- set read_csv = seed_read_csv_call(model) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set month_column = config.get('meta', {}).get('month_column') -%}
    {%- set months = build_months() -%}
    {%- if exists_as_table and not full_refresh_mode and month_column and months is not none -%}
        {%- set in_months -%}
            {{ adapter.quote(month_column) }} in ('{{ months | join("', '") }}')
        {%- endset -%}
        {%- set load_sql -%}
            delete from {{ target_relation }} where {{ in_months }};
            insert into {{ target_relation }} select * from {{ read_csv }} where {{ in_months }}
        {%- endset -%}
    {%- elif exists_as_table and not full_refresh_mode -%}
        {#- Like dbt's default: keep the table, replace its rows. -#}
        {%- set load_sql -%}
            delete from {{ target_relation }};
            insert into {{ target_relation }} select * from {{ read_csv }}
        {%- endset -%}
    {%- else -%}
        {#- One statement: a file that fails to load leaves the old table in place. -#}
        {%- set load_sql -%}
            create or replace table {{ target_relation }} as select * from {{ read_csv }}
        {%- endset -%}
    {%- endif -%}
    {%- do run_query(load_sql) -%}

    {%- set rows_affected = run_query('select count(*) from ' ~ target_relation).columns[0].values()[0] -%}
    {%- set code = 'CREATE' if full_refresh_mode else 'INSERT' -%}
    {#- dbt's seed task reads this result (`dbt seed --show` prints it): the first rows. -#}
    {%- do store_result('agate_table', response='OK', agate_table=run_query('select * from ' ~ target_relation ~ ' limit 10')) -%}
    {% call noop_statement('main', code ~ ' ' ~ rows_affected, code, rows_affected) %}
        {{ load_sql }};
    {% endcall %}

    {%- set should_revoke = should_revoke(old_relation, full_refresh_mode) -%}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke) -%}
    {%- do persist_docs(target_relation, model) -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    -- `COMMIT` happens here
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{% macro seed_read_csv_call(seed) %}
    {#- The columns in the file's order, as its header names them; only the header row
        is read here (every column as text, nothing inferred). -#}
    {%- set path = adapter.get_seed_file_path(seed) | replace("'", "''") -%}
    {%- set delimiter = config.get('delimiter', ',') | replace("'", "''") -%}
    {%- set dialect -%}
        header = true, delim = '{{ delimiter }}', quote = '"', escape = '"', encoding = 'utf-8'
    {%- endset -%}
    {%- set header = run_query(
        "select * from read_csv('" ~ path ~ "', " ~ dialect ~ ", all_varchar = true) limit 0"
    ).column_names -%}
    {%- set declared = config.get('column_types', {}) -%}
    {%- set columns = [] -%}
    {%- for name in header -%}
        {%- if name not in declared -%}
            {{ exceptions.raise_compiler_error(
                "seed " ~ seed['original_file_path'] ~ ": column '" ~ name
                ~ "' has no type in column_types; declare one (types are never inferred)"
            ) }}
        {%- endif -%}
        {%- do columns.append("'" ~ name | replace("'", "''") ~ "': '" ~ declared[name] ~ "'") -%}
    {%- endfor -%}
    {{ return(
        "read_csv('" ~ path ~ "', " ~ dialect ~ ", auto_detect = false, nullstr = '', "
        ~ "columns = {" ~ columns | join(', ') ~ "})"
    ) }}
{% endmacro %}
