{#-
    The monthly update (navtiltak/engines/duckdb_file.py): the models whose rows belong to one report
    month build only the months a build names in the environment variable
    NAV_TILTAK_BUILD_MONTHS ('2014-11,2015-11', or 'none'), in a copy of the published
    warehouse; every other month's rows are kept from it. Unset (every build but a
    monthly update, on every engine), the models are plain tables built whole.
-#}

{#- The months to build as 'YYYY-MM' texts, [] for 'none', or none when unset. -#}
{% macro build_months() %}
    {%- set value = env_var('NAV_TILTAK_BUILD_MONTHS', '') | trim -%}
    {%- if value == '' -%}
        {{ return(none) }}
    {%- elif value == 'none' -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set months = [] -%}
    {%- for month in value.split(',') -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}$', month | trim) -%}
            {{ exceptions.raise_compiler_error(
                "NAV_TILTAK_BUILD_MONTHS: '" ~ month ~ "' is not a month YYYY-MM (in '" ~ value ~ "')"
            ) }}
        {%- endif -%}
        {%- do months.append(month | trim) -%}
    {%- endfor -%}
    {{ return(months) }}
{% endmacro %}


{#- The config of a model whose rows belong to one month (`column`): in a monthly
    update an incremental model that first deletes the months it builds, else a table. -#}
{% macro by_month(column) %}
    {#- meta.month_column: what get_where_subquery scopes the model's tests by -#}
    {%- set meta = {'month_column': column} -%}
    {%- if build_months() is none -%}
        {{ return({'materialized': 'table', 'meta': meta}) }}
    {%- endif -%}
    {{ return({
        'meta': meta,
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': ["{{ delete_build_months('" ~ column ~ "') }}"],
    }) }}
{% endmacro %}


{#- A condition on `column` (a date, the month's first day) that keeps the months
    being built: true unless this is a monthly update of a table that exists. -#}
{% macro in_build_months(column) %}
    {%- set months = build_months() -%}
    {%- if months is none or not is_incremental() -%}
        true
    {%- elif months | length == 0 -%}
        false
    {%- else -%}
        {{ column }} in ({% for month in months %}cast('{{ month }}-01' as date){{ ', ' if not loop.last }}{% endfor %})
    {%- endif -%}
{% endmacro %}


{#- The pre-hook of by_month: the rows of the months being built go first. -#}
{% macro delete_build_months(column) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_build_months(column) }}
    {%- endif -%}
{% endmacro %}


{#- Every generic test reads its model through this macro (dbt's own, overridden: the
    root project's macro of that name comes first): dbt's `where` config, as dbt has
    it; and in a monthly update, a model or seed whose rows belong to one month
    (meta.month_column: by_month, and the report seeds in dbt_project.yml) is tested
    on the months being built only. Its other months' rows are the published
    warehouse's, which passed every test when it was published, and every generic test
    on such a model is row by row or per month (each key it tests includes the month).
    Singular tests (tests/dbt/), the models built whole and contract_constraints_hold
    (it reads the model's contract through the relation itself, which a subquery is
    not) test every month. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set months = build_months() -%}
    {%- set test_name = (model.get('test_metadata') or {}).get('name') -%}
    {%- if months is not none and execute and test_name != 'contract_constraints_hold' -%}
        {%- set tested = graph.nodes.get(model.get('attached_node') or '') or {} -%}
        {%- set month_column = (tested.get('config', {}).get('meta') or {}).get('month_column') -%}
        {%- if month_column and months | length == 0 -%}
            {%- do conditions.append('false') -%}
        {%- elif month_column -%}
            {#- the first seven characters: 'YYYY-MM' of a date and of the seeds' text -#}
            {%- do conditions.append(
                "left(cast(" ~ month_column ~ " as varchar), 7) in ('"
                ~ months | join("', '") ~ "')"
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
