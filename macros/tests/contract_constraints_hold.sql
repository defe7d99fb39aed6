{#- The constraints a model's contract declares (not_null, unique, primary_key, check;
    on a column or on the model), asserted on its rows. Engines that enforce them
    (DuckDB, PostgreSQL) never fail this test; where an engine silently does not (Spark's
    Parquet tables), this is what holds the guarantee. The constraints are read from the
    contract itself, so the test and the contract cannot drift apart.
    One row per violated constraint, with the number of rows that violate it. -#}
{% test contract_constraints_hold(model) %}
{%- set checks = [] -%}
{%- if execute -%}
    {%- for constraint in contract_constraints_of(model) -%}
        {%- set columns = constraint['columns'] -%}
        {%- set label = constraint['type'] ~ ': ' ~ (constraint.get('expression') or columns | join(', ')) -%}
        {%- set any_null = [] -%}
        {%- for column in columns -%}
            {%- do any_null.append(column ~ ' is null') -%}
        {%- endfor -%}
        {%- if constraint['type'] == 'not_null' -%}
            {%- set violations -%}
                select count(*) from {{ model }} where {{ any_null | join(' or ') }}
            {%- endset -%}
        {%- elif constraint['type'] == 'check' -%}
            {#- SQL's CHECK passes on null: only a false expression violates it. -#}
            {%- set violations -%}
                select count(*) from {{ model }} where not ({{ constraint['expression'] }})
            {%- endset -%}
        {%- elif constraint['type'] in ('unique', 'primary_key') -%}
            {%- set violations -%}
                select coalesce(sum(key_rows), 0) from (
                    select count(*) as key_rows
                    from {{ model }}
                    {%- if constraint['type'] == 'unique' %}
                    where not ({{ any_null | join(' or ') }})
                    {%- endif %}
                    group by {{ columns | join(', ') }}
                    having count(*) > 1
                    {%- if constraint['type'] == 'primary_key' %}
                        or {{ any_null | join(' or ') }}
                    {%- endif %}
                ) as repeated_keys
            {%- endset -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "contract_constraints_hold on " ~ model ~ ": no assertion for constraint type '"
                ~ constraint['type'] ~ "'"
            ) }}
        {%- endif -%}
        {%- do checks.append({'label': label, 'violations': violations}) -%}
    {%- endfor -%}
{%- endif -%}

with

constraint_violations as (
    {%- for check in checks %}
    select
        cast({{ string_literal(check.label) }} as {{ engine_type('varchar') }}) as violated_constraint,
        ({{ check.violations }}) as violating_rows
    {{- '\n    union all' if not loop.last }}
    {%- else %}
    select
        cast(null as {{ engine_type('varchar') }}) as violated_constraint,
        cast(0 as bigint) as violating_rows
    {%- endfor %}
)

select violated_constraint, violating_rows
from constraint_violations
where violating_rows > 0

{% endtest %}


{#- A model's contract constraints as a list of {type, columns, expression}: the
    column-level ones with their column, then the model-level ones. -#}
{% macro contract_constraints_of(model) %}
    {%- set nodes = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('alias', 'equalto', model.identifier)
        | list -%}
    {%- if nodes | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "contract_constraints_hold: expected one model named " ~ model.identifier
            ~ ", found " ~ nodes | length
        ) }}
    {%- endif -%}
    {%- set node = nodes[0] -%}
    {%- set constraints = [] -%}
    {%- for column in node.columns.values() -%}
        {%- for constraint in column.constraints -%}
            {%- do constraints.append({
                'type': constraint.type,
                'columns': [column.name],
                'expression': constraint.expression,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in node.constraints -%}
        {%- do constraints.append({
            'type': constraint.type,
            'columns': constraint.columns,
            'expression': constraint.expression,
        }) -%}
    {%- endfor -%}
    {{ return(constraints) }}
{% endmacro %}
