{#- The hierarchy rules' identities, as terms: "parent = sum of its children" along
    one hierarchy, for every parent with at least one printed child. One row per cell
    an identity adds up: each printed child (term_role part, coefficient +1) and the
    printed parent (total, -1). The identity holds when the terms sum to 0. A
    printed parent none of whose children is printed is a total without parts: no
    identity (the report omits zero rows), which hierarchy_identity_checks leaves out.

    cells          the cells (a relation or CTE name) with a node column of the
                   hierarchy and the partition columns
    edges          the hierarchy edges (parent_code, child_code) of int_hierarchy_edges,
                   already filtered to this hierarchy; passed in, so that the model
                   calling this macro names every relation it reads
    node_column    the column holding the cell's node in the hierarchy
    partition_by   the columns that must be equal between a parent and its children
                   (month, metric, the other dimensions and, within a table, the table)
    where          a filter on the cells (e.g. additive metrics only)
    cell_key       the columns naming a printed cell (table, line, column), carried
                   as cell_table_code, cell_line_number, cell_column_number; none for
                   cells that name no printed cell (the macro harness's fixtures)

    An identity is keyed by the partition columns and parent_code. -#}
{% macro hierarchy_terms(
    cells,
    edges,
    node_column,
    partition_by,
    where=none,
    cell_key=none,
    value_column='cell_value',
    suppressed_column='is_suppressed',
    nonnegative_column='is_count'
) %}
{%- set key_names = ['cell_table_code', 'cell_line_number', 'cell_column_number'] %}
{#- A term's cell columns, from `cells` (aliased cells) -#}
{%- set cell_columns -%}
    {% if cell_key %}
        {% for column in cell_key %}cells.{{ column }} as {{ key_names[loop.index0] }}, {% endfor %}
    {% endif %}
    cells.{{ value_column }} as cell_value,
    cells.{{ suppressed_column }} as is_suppressed,
    cells.{{ nonnegative_column }} as is_nonnegative
{%- endset %}

{#- Parts and totals each read `cells` themselves, not a CTE of both: a reader of
    int_report_tables_sum_terms asks for one of them (hierarchy_identity_checks), and
    DuckDB would materialise a CTE read twice, every cell of it, in every query. -#}
with

parts as (
    select
        {% for column in partition_by %}cells.{{ column }}, {% endfor %}
        hierarchy_edges.parent_code,
        'part' as term_role,
        1 as coefficient,
        {{ cell_columns }}
    from {{ cells }} as cells
    inner join {{ edges }} as hierarchy_edges
        on cells.{{ node_column }} = hierarchy_edges.child_code
    {% if where %}where {{ where }}{% endif %}
),

-- every printed cell of a parent node, a total: a parent whose children are not
-- printed has no part, and no identity (hierarchy_identity_checks leaves it out)
totals as (
    select
        {% for column in partition_by %}cells.{{ column }}, {% endfor %}
        cells.{{ node_column }} as parent_code,
        'total' as term_role,
        -1 as coefficient,
        {{ cell_columns }}
    from {{ cells }} as cells
    -- a join, not `in (select ...)`: DuckDB then builds its hash table on the parts'
    -- identities when a check joins them to the totals (357 -> 96 MiB, the age bands
    -- at 301 months)
    inner join (
        select distinct hierarchy_edges.parent_code from {{ edges }} as hierarchy_edges
    ) as parent_nodes
        on cells.{{ node_column }} = parent_nodes.parent_code
    {% if where %}where {{ where }}{% endif %}
),

terms as (
    select * from parts
    union all
    select * from totals
)

select * from terms

{% endmacro %}


{#- A hierarchy identity's check, from its terms (hierarchy_terms' columns, grouped
    by identity_columns): one row per identity with printed_children,
    is_parent_printed, expected (the printed total), observed (the sum of the printed
    parts), difference and status.

    A parent that is not printed while its children are counts as 0: the report omits
    rows and sub-totals that are zero. Suppressed cells make the identity "known parts
    <= total" for counts (status not_checkable when that holds) and uncheckable for
    changes, which can be negative. -#}
{% macro hierarchy_identity_checks(terms, identity_columns) %}

with

children as (
    select
        {% for column in identity_columns %}{{ column }}, {% endfor %}
        sum(case when is_suppressed then 0 else cell_value end) as children_sum,
        count(*) as printed_children,
        sum(case when is_suppressed then 1 else 0 end) as suppressed_children,
        max(case when is_nonnegative then 1 else 0 end) = 1 as is_nonnegative
    from {{ terms }} as part_terms
    where term_role = 'part'
    group by
        {% for column in identity_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
),

-- an identity has a part: a total without printed parts is none
summed as (
    select
        children.*,
        parents.term_role is not null as is_parent_printed,
        coalesce(parents.is_suppressed, false) as is_parent_suppressed,
        coalesce(parents.cell_value, 0) as parent_value
    from children
    left join {{ terms }} as parents
        on
            parents.term_role = 'total'
            {% for column in identity_columns -%}
                and children.{{ column }} = parents.{{ column }}
            {% endfor %}
),

checked as (
    select
        {% for column in identity_columns %}{{ column }}, {% endfor %}
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
    from summed
)

select * from checked

{% endmacro %}


{#- "Parent = sum of children" along one hierarchy over `cells`: hierarchy_terms,
    checked by hierarchy_identity_checks. One row per parent with the partition
    columns, hierarchy, parent_code and the check. -#}
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

terms as (
    {{ hierarchy_terms(
        cells, edges, node_column, partition_by, where=where,
        value_column=value_column, suppressed_column=suppressed_column,
        nonnegative_column=nonnegative_column
    ) }}
),

checks as (
    {{ hierarchy_identity_checks('terms', partition_by + ['parent_code']) }}
)

select
    {% for column in partition_by %}{{ column }}, {% endfor %}
    '{{ hierarchy }}' as hierarchy,
    parent_code,
    printed_children,
    is_parent_printed,
    expected,
    observed,
    difference,
    status
from checks

{% endmacro %}


{#- The terms of a rule family's identities along every hierarchy (one union all
    branch per hierarchy, rule_id <rule_family>_<hierarchy>): what the views
    int_report_tables_sum_terms and int_report_cube_sum_terms hold. An identity's
    coordinates hold its parent's node in the hierarchy's column.

    rule_family    within_table or across_tables
    cells, edges   the cells and int_hierarchy_edges (relations)
    table_columns  the columns of the printed table an identity lies in (within a
                   table), besides report_month, metric_code and the coordinates
    where          a filter on the cells; a hierarchy's name in it is written
                   {hierarchy}
    cell_key       the columns naming the printed cell (hierarchy_terms) -#}
{% macro hierarchy_rule_terms(rule_family, cells, edges, table_columns, where, cell_key) %}
    {%- set coordinates = reconciliation_coordinates() %}
    {#- Each hierarchy reads the relations itself, not through CTEs: DuckDB would
        materialise a CTE read four times, in every query that reads the view. -#}
    {% for hierarchy, node_column in coordinates.items() %}
        {%- set others = coordinates.values() | reject('equalto', node_column) | list %}
        {%- set hierarchy_edges -%}
            (select parent_code, child_code from {{ edges }} where hierarchy = '{{ hierarchy }}')
        {%- endset %}
        select
            report_month,
            '{{ rule_family }}_{{ hierarchy }}' as rule_id,
            '{{ hierarchy }}' as hierarchy,
            {% for column in table_columns %}{{ column }}, {% endfor %}
            metric_code,
            {% for column in coordinates.values() -%}
                {{ 'parent_code' if column == node_column else column }} as {{ column }},
            {% endfor -%}
            term_role,
            coefficient,
            cell_table_code,
            cell_line_number,
            cell_column_number,
            cell_value,
            is_suppressed,
            is_nonnegative
        from (
            {{ hierarchy_terms(
                cells,
                hierarchy_edges,
                node_column,
                ['report_month'] + table_columns + ['metric_code'] + others,
                where=where | replace('{hierarchy}', hierarchy),
                cell_key=cell_key,
            ) }}
        ) as hierarchy_terms
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endmacro %}


{#- A hierarchy rule family's ledger rows: the identities of `sum_terms` (a view of
    hierarchy_rule_terms) checked by hierarchy_identity_checks, one hierarchy at a
    time, with the ledger's scope text. One row per identity: report_month, rule_id,
    scope, the table columns, metric_code, the coordinates (the parent's node in its
    hierarchy's column), hierarchy and the check.

    rule_family    within_table or across_tables
    sum_terms      the view of the family's terms (a relation)
    table_columns  as in hierarchy_rule_terms
    scope_prefix   the scope text's first parts (dbt.concat parts), before
                   "<hierarchy> <parent> = sum of its parts; ..." -#}
{% macro hierarchy_rule_checks(rule_family, sum_terms, table_columns, scope_prefix) %}
    {%- set coordinates = reconciliation_coordinates() %}
    {#- Each hierarchy reads its own terms, not one CTE of every hierarchy's: DuckDB
        materialises a CTE read four times (0.3 s and 4.6 million rows' memory at
        301 months). -#}
    {% for hierarchy, node_column in coordinates.items() %}
        {%- set others = coordinates.values() | reject('equalto', node_column) | list %}
        {%- set hierarchy_terms -%}
            (
                select * from {{ sum_terms }}
                where
                    rule_id = '{{ rule_family }}_{{ hierarchy }}'
                    and {{ in_build_months('report_month') }}
            )
        {%- endset %}
        select
            report_month,
            '{{ rule_family }}_{{ hierarchy }}' as rule_id,
            {{ dbt.concat(
                scope_prefix
                + ["'" ~ hierarchy ~ " '", node_column, "' = sum of its parts; metric '", "metric_code"]
                + ledger_scope_parts(others)
            ) }} as scope,
            {% for column in table_columns %}{{ column }}, {% endfor %}
            metric_code,
            {% for column in coordinates.values() -%}
                {{ column }},
            {% endfor -%}
            '{{ hierarchy }}' as hierarchy,
            printed_children,
            is_parent_printed,
            expected,
            observed,
            difference,
            status
        from (
            {{ hierarchy_identity_checks(
                hierarchy_terms,
                ['report_month'] + table_columns + ['metric_code'] + coordinates.values() | list,
            ) }}
        ) as sums
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endmacro %}
