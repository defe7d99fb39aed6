{#- "Parent = sum of children" along one hierarchy, for every parent printed with
    at least one printed child: one row per parent, with its status.

    cells          the cells (a relation or CTE name) with a node column of the
                   hierarchy and the partition columns
    edges          the hierarchy edges (parent_code, child_code) of int_hierarchy_edges,
                   already filtered to this hierarchy; passed in, so that the model
                   calling this macro names every relation it reads
    hierarchy      the hierarchy's name, carried into the output
    node_column    the column holding the cell's node in that hierarchy
    partition_by   the columns that must be equal between a parent and its children
                   (month, metric, the other dimensions and, within a table, the table)
    where          a filter on the cells (e.g. additive metrics only)

    A parent that is not printed while its children are counts as 0: the report
    omits rows and sub-totals that are zero. Suppressed cells make the identity
    "known parts <= total" for counts (status not_checkable when that holds) and
    uncheckable for changes, which can be negative. -#}
{% macro hierarchy_sum_checks(
    cells,
    edges,
    hierarchy,
    node_column,
    partition_by,
    where=none,
    value_column='cell_value',
    suppressed_column='is_suppressed',
    nonnegative_column='is_count'
) %}

with

hierarchy_cells as (
    select
        {% for column in partition_by %}{{ column }}, {% endfor %}
        {{ node_column }} as node_code,
        {{ value_column }} as cell_value,
        {{ suppressed_column }} as is_suppressed,
        {{ nonnegative_column }} as is_nonnegative
    from {{ cells }}
    {% if where %}where {{ where }}{% endif %}
),

children as (
    select
        {% for column in partition_by %}hierarchy_cells.{{ column }}, {% endfor %}
        hierarchy_edges.parent_code,
        sum(
            case when hierarchy_cells.is_suppressed then 0 else hierarchy_cells.cell_value end
        ) as children_sum,
        count(*) as printed_children,
        sum(case when hierarchy_cells.is_suppressed then 1 else 0 end) as suppressed_children,
        max(case when hierarchy_cells.is_nonnegative then 1 else 0 end) = 1 as is_nonnegative
    from hierarchy_cells
    inner join {{ edges }} as hierarchy_edges
        on hierarchy_cells.node_code = hierarchy_edges.child_code
    group by
        {% for column in partition_by %}hierarchy_cells.{{ column }}, {% endfor %}
        hierarchy_edges.parent_code
),

compared as (
    select
        children.*,
        parents.node_code is not null as is_parent_printed,
        coalesce(parents.is_suppressed, false) as is_parent_suppressed,
        coalesce(parents.cell_value, 0) as parent_value
    from children
    left join hierarchy_cells as parents
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
