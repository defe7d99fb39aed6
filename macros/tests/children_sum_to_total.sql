{#- Fails for every printed total that differs from the sum of its printed parts
    along `hierarchy` (see macro hierarchy_sum_checks).

    Either name a reconciliation `scope` (within_table, across_tables: the node
    column, partition and filter then come from reconciliation_scope, as in the
    ledger), or give `node_column` and `partition_by` yourself. -#}
{% test children_sum_to_total(
    model,
    hierarchy,
    scope=none,
    node_column=none,
    partition_by=none,
    value_column='cell_value',
    suppressed_column='is_suppressed',
    nonnegative_column='is_count'
) %}

{%- set where = none -%}
{%- if scope is not none -%}
    {%- set spec = reconciliation_scope(scope, hierarchy) -%}
    {%- set node_column = spec.node_column -%}
    {%- set partition_by = spec.partition_by -%}
    {%- set where = spec.where -%}
{%- endif -%}

select *
from (
    {{ hierarchy_sum_checks(
        model,
        hierarchy,
        node_column,
        partition_by,
        where=where,
        value_column=value_column,
        suppressed_column=suppressed_column,
        nonnegative_column=nonnegative_column
    ) }}
) as checks
where status = 'fail'

{% endtest %}
