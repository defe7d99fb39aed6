{#- "Parent = sum of children" along one hierarchy, for every parent printed with
    at least one printed child, as rows of the reconciliation ledger.

    relation       cells with a node column of the hierarchy and partition columns
    hierarchy      a hierarchy of int_hierarchy_edges (county, participant_group,
                   age_band, measure)
    node_column    the column holding the cell's node in that hierarchy
    partition_by   the columns that must be equal between a parent and its children
                   (month, metric, the other dimensions and, within a table, the table)
    where          a filter on the relation (e.g. additive metrics only)

    A parent that is not printed while its children are counts as 0: the report
    omits rows and sub-totals that are zero. Suppressed cells make the identity
    "known parts <= total" for counts (status not_checkable when that holds) and
    uncheckable for changes, which can be negative. -#}
{% macro hierarchy_sum_checks(
    relation,
    hierarchy,
    node_column,
    partition_by,
    where=none,
    value_column='cell_value',
    suppressed_column='is_suppressed',
    nonnegative_column='is_count'
) %}

with

edges as (
    select
        parent_code,
        child_code
    from {{ ref('int_hierarchy_edges') }}
    where hierarchy = '{{ hierarchy }}'
),

cells as (
    select
        {% for column in partition_by %}{{ column }}, {% endfor %}
        {{ node_column }} as node_code,
        {{ value_column }} as cell_value,
        {{ suppressed_column }} as is_suppressed,
        {{ nonnegative_column }} as is_nonnegative
    from {{ relation }}
    {% if where %}where {{ where }}{% endif %}
),

children as (
    select
        {% for column in partition_by %}cells.{{ column }}, {% endfor %}
        edges.parent_code,
        sum(case when cells.is_suppressed then 0 else cells.cell_value end) as children_sum,
        count(*) as printed_children,
        sum(case when cells.is_suppressed then 1 else 0 end) as suppressed_children,
        max(case when cells.is_nonnegative then 1 else 0 end) = 1 as is_nonnegative
    from cells
    inner join edges on cells.node_code = edges.child_code
    group by
        {% for column in partition_by %}cells.{{ column }}, {% endfor %}
        edges.parent_code
),

compared as (
    select
        children.*,
        parents.node_code is not null as is_parent_printed,
        coalesce(parents.is_suppressed, false) as is_parent_suppressed,
        coalesce(parents.cell_value, 0) as parent_value
    from children
    left join cells as parents
        on
            children.parent_code = parents.node_code
            {% for column in partition_by %}
                and children.{{ column }} = parents.{{ column }}
            {% endfor %}
),

checked as (
    select
        {% for column in partition_by %}{{ column }}, {% endfor %}
        '{{ hierarchy }}' as hierarchy,
        parent_code,
        printed_children,
        is_parent_printed,
        parent_value as expected,
        children_sum as observed,
        children_sum - parent_value as difference,
        case
            when is_parent_suppressed or suppressed_children > 0 then
                case
                    when
                        not is_parent_suppressed
                        and is_nonnegative
                        and children_sum > parent_value
                        then 'fail'
                    else 'not_checkable'
                end
            when children_sum = parent_value then 'pass'
            else 'fail'
        end as status
    from compared
)

select * from checked

{% endmacro %}
