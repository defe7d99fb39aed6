-- Rule family across_tables_<hierarchy>: in the cube of every figure printed
-- anywhere, parts sum to their total wherever each is printed: the per-county
-- tables to the national ones, the participant groups' tables to the all-groups
-- ones, the age bands to all ages, measures to their group and groups to all
-- measures. One row per printed parent coordinate.
{{ config(**by_month('report_month')) }}
{%- set coordinates = reconciliation_coordinates() %}

with

cube as (
    select * from {{ ref('int_report_cube') }}
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
            'across_tables_{{ hierarchy }}' as rule_id,
            {{ dbt.concat(
                ["'" ~ hierarchy ~ " '", "parent_code",
                 "' = sum of its parts; metric '", "metric_code"]
                + ledger_scope_parts(others)
            ) }} as scope,
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
                'cube',
                hierarchy_edges,
                hierarchy,
                node_column,
                ['report_month', 'metric_code'] + others,
                where='is_additive',
            ) }}
        ) as sums
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from checks
