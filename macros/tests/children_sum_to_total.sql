{#- Fails for every printed total that differs from the sum of its printed parts
    along `hierarchy`; see macro hierarchy_sum_checks for the arguments. -#}
{% test children_sum_to_total(
    model,
    hierarchy,
    node_column,
    partition_by,
    value_column='cell_value',
    suppressed_column='is_suppressed',
    nonnegative_column='is_count'
) %}

select *
from (
    {{ hierarchy_sum_checks(
        model,
        hierarchy,
        node_column,
        partition_by,
        value_column=value_column,
        suppressed_column=suppressed_column,
        nonnegative_column=nonnegative_column
    ) }}
) as checks
where status = 'fail'

{% endtest %}
