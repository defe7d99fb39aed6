{#- Seed loading on Spark. dbt-spark's own loader binds each value into its INSERT
    without escaping on the session connection (an apostrophe breaks the statement, an
    empty cell becomes the string 'None') and writes the declared types as they are (a
    bare varchar is an error on Spark). These two replace it: the table is created with
    each declared type resolved by engine_type(), and the rows are inserted as escaped
    literals cast to those types, empty cells as null. The statements are plain SQL, so
    the same loading works on a local session and on a cluster (Thrift or HTTP). -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name | string, model['config'].get('quote_columns')) }}
            {{ spark_seed_column_type(model, agate_table, loop.index0) }}{{ ',' if not loop.last }}
            {%- endfor %}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{% endmacro %}


{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set statements = [] -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(spark_seed_column_type(model, agate_table, loop.index0)) -%}
    {%- endfor -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            ({%- for value in row -%}
                {{ spark_seed_literal(value, types[loop.index0]) }}{{ ', ' if not loop.last }}
            {%- endfor -%}){{ ',' if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- dbt renders the first statement into the seed's compiled file. -#}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{% macro spark_seed_column_type(model, agate_table, column_index) -%}
    {%- set declared = model['config'].get('column_types', {}) -%}
    {%- set column_name = agate_table.column_names[column_index] -%}
    {%- set portable_name = declared.get(column_name, adapter.convert_type(agate_table, column_index)) -%}
    {{- return(engine_type(portable_name)) -}}
{%- endmacro %}


{#- One value as a Spark SQL literal: null for an empty cell, else a string literal
    (backslash and apostrophe escaped, as Spark's parser reads them) cast to the
    column's type. Every seed column has a declared type, so agate hands over text. -#}
{% macro spark_seed_literal(value, column_type) -%}
    {%- if value is none -%}
        {{- return('cast(null as ' ~ column_type ~ ')') -}}
    {%- endif -%}
    {{- return("cast(" ~ spark__string_literal(value) ~ " as " ~ column_type ~ ")") -}}
{%- endmacro %}
