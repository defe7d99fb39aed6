{#- The project writes one portable name per type (varchar, integer, bigint, date,
    boolean) in seeds' column_types, contracts' data_type and the models' casts; this is
    the one place that says what each engine calls it. Spark has no bare varchar (it
    wants string); DuckDB and PostgreSQL take the names as written. -#}
{% macro engine_type(portable_name) -%}
    {{- return(adapter.dispatch('engine_type', 'nav_tiltak')(portable_name)) -}}
{%- endmacro %}

{% macro default__engine_type(portable_name) -%}
    {{- return(portable_name) -}}
{%- endmacro %}

{% macro spark__engine_type(portable_name) -%}
    {%- set spark_names = {'varchar': 'string', 'text': 'string'} -%}
    {{- return(spark_names.get(portable_name | trim | lower, portable_name)) -}}
{%- endmacro %}


{#- dbt's cast() resolves the type name first: a contract's data_type (dbt builds its
    "empty schema" query with cast(null as <data_type>)) then means the same on Spark. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ engine_type(type) }})
{%- endmacro %}


{#- The distinct values of a text column, sorted and joined by `delimiter`, as one
    string per group: dbt's listagg on Spark ignores the order, which would make the
    same warehouse differ between engines. -#}
{% macro sorted_list(column, delimiter) -%}
    {{- return(adapter.dispatch('sorted_list', 'nav_tiltak')(column, delimiter)) -}}
{%- endmacro %}

{% macro default__sorted_list(column, delimiter) -%}
    {{ dbt.listagg(column, "'" ~ delimiter ~ "'", 'order by ' ~ column) }}
{%- endmacro %}

{#- By byte order, as DuckDB and Spark sort: a server's own collation (nb_NO, en_US)
    would put Æ, Ø, Å and lower case elsewhere. -#}
{% macro postgres__sorted_list(column, delimiter) -%}
    string_agg({{ column }}, '{{ delimiter }}' order by {{ column }} collate "C")
{%- endmacro %}

{% macro spark__sorted_list(column, delimiter) -%}
    array_join(array_sort(collect_list({{ column }})), '{{ delimiter }}')
{%- endmacro %}


{#- A SQL string literal of `text`: Spark's parser reads backslash escapes (an
    apostrophe is \'), the others double the apostrophe. -#}
{% macro string_literal(text) -%}
    {{- return(adapter.dispatch('string_literal', 'nav_tiltak')(text)) -}}
{%- endmacro %}

{% macro default__string_literal(text) -%}
    {{- return("'" ~ (text | string).replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro spark__string_literal(text) -%}
    {{- return("'" ~ (text | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") -}}
{%- endmacro %}


{#- One row per day, `date_day`, from first_day up to (not including) end_day, both date
    literals ('YYYY-MM-DD'). dbt's date_spine cross-joins powers of two, which Spark
    plans and runs in about 40 s for fifty years; Spark's own sequence takes a second. -#}
{% macro day_spine(first_day, end_day) -%}
    {{- return(adapter.dispatch('day_spine', 'nav_tiltak')(first_day, end_day)) -}}
{%- endmacro %}

{% macro default__day_spine(first_day, end_day) -%}
    {{ dbt.date_spine('day', "cast('" ~ first_day ~ "' as date)", "cast('" ~ end_day ~ "' as date)") }}
{%- endmacro %}

{% macro spark__day_spine(first_day, end_day) -%}
    select explode(sequence(
        date '{{ first_day }}', date_sub(date '{{ end_day }}', 1), interval 1 day
    )) as date_day
{%- endmacro %}
