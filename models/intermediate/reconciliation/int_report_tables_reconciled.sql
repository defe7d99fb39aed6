-- Rule family within_table_<hierarchy>: within each printed (sub-)table, parts sum
-- to their "I alt", along the table's rows and columns, for every hierarchy
-- (counties, participant groups, age bands, measures -> measure group -> I alt).
-- Not along the sub-heading's dimension: its parent is printed in another table,
-- which the across-table rules check. One row per printed parent.
{{ config(**by_month('report_month')) }}
{%- set coordinates = reconciliation_coordinates() %}

with

-- the identities written as terms (hierarchy_rule_terms), checked one hierarchy at a
-- time, each reading its own terms (not through one CTE: DuckDB materialises a CTE
-- read four times, which cost 0.3 s and 4.6 million rows' memory at 301 months);
-- an identity's coordinates hold its parent's node
checks as (
    {% for hierarchy, node_column in coordinates.items() %}
        {%- set others = coordinates.values() | reject('equalto', node_column) | list %}
        {%- set hierarchy_terms -%}
            (
                select * from {{ ref('int_report_tables_sum_terms') }}
                where
                    rule_id = 'within_table_{{ hierarchy }}'
                    and {{ in_build_months('report_month') }}
            )
        {%- endset %}
        select
            report_month,
            'within_table_{{ hierarchy }}' as rule_id,
            {{ dbt.concat(
                ["table_code", "': '", "'" ~ hierarchy ~ " '", node_column,
                 "' = sum of its parts; metric '", "metric_code"]
                + ledger_scope_parts(others)
            ) }} as scope,
            table_code,
            sub_table,
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
                ['report_month', 'table_code', 'sub_table', 'metric_code']
                + coordinates.values() | list,
            ) }}
        ) as sums
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from checks
