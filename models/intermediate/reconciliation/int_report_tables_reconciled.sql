-- Rule family within_table_<hierarchy>: within each printed (sub-)table, parts sum
-- to their "I alt", along the table's rows and columns, for every hierarchy
-- (counties, participant groups, age bands, measures -> measure group -> I alt).
-- Not along the sub-heading's dimension: its parent is printed in another table,
-- which the across-table rules check. One row per printed parent.
{{ config(**by_month('report_month')) }}
{%- set coordinates = reconciliation_coordinates() %}

with

located as (
    select * from {{ ref('int_report_cells_located') }}
    where {{ in_build_months('report_month') }}
),

edges as (
    select * from {{ ref('int_hierarchy_edges') }}
),

checks as (
    {% for hierarchy, node_column in coordinates.items() %}
        {%- set others = coordinates.values() | reject('equalto', node_column) | list %}
        {%- set hierarchy_edges -%}
            (select parent_code, child_code from edges where hierarchy = '{{ hierarchy }}')
        {%- endset %}
        select
            report_month,
            'within_table_{{ hierarchy }}' as rule_id,
            {{ dbt.concat(
                ["table_code", "': '", "'" ~ hierarchy ~ " '", "parent_code",
                 "' = sum of its parts; metric '", "metric_code"]
                + ledger_scope_parts(others)
            ) }} as scope,
            table_code,
            sub_table,
            metric_code,
            {% for column in coordinates.values() -%}
                {{ 'parent_code' if column == node_column else column }} as {{ column }},
            {% endfor -%}
            hierarchy,
            printed_children,
            is_parent_printed,
            expected,
            observed,
            difference,
            status
        from (
            {{ hierarchy_sum_checks(
                'located',
                hierarchy_edges,
                hierarchy,
                node_column,
                ['report_month', 'table_code', 'sub_table', 'metric_code'] + others,
                where="is_additive and coalesce(subheading_role, '') != '" ~ hierarchy ~ "'",
            ) }}
        ) as sums
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from checks
