-- Rule family across_tables_<hierarchy>: in the cube of every figure printed
-- anywhere, parts sum to their total wherever each is printed: the per-county
-- tables to the national ones, the participant groups' tables to the all-groups
-- ones, the age bands to all ages, measures to their group and groups to all
-- measures. One row per printed parent coordinate.
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
                select * from {{ ref('int_report_cube_sum_terms') }}
                where
                    rule_id = 'across_tables_{{ hierarchy }}'
                    and {{ in_build_months('report_month') }}
            )
        {%- endset %}
        select
            report_month,
            'across_tables_{{ hierarchy }}' as rule_id,
            {{ dbt.concat(
                ["'" ~ hierarchy ~ " '", node_column,
                 "' = sum of its parts; metric '", "metric_code"]
                + ledger_scope_parts(others)
            ) }} as scope,
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
                ['report_month', 'metric_code']
                + coordinates.values() | list,
            ) }}
        ) as sums
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from checks
