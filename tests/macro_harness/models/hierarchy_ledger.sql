-- hierarchy_sum_checks over the same fixture cells, both hierarchies, every scenario:
-- the rows whose status (pass / fail / not_checkable) the unit tests assert.
with

cells as (
    select * from {{ ref('fixture_cells') }}
),

edges as (
    select * from {{ ref('int_hierarchy_edges') }}
),

county_edges as (
    select
        parent_code,
        child_code
    from edges
    where hierarchy = 'county'
),

measure_edges as (
    select
        parent_code,
        child_code
    from edges
    where hierarchy = 'measure'
),

county_checks as (
    select *
    from (
        {{ hierarchy_sum_checks(
            'cells',
            'county_edges',
            'county',
            'county_code',
            ['scenario', 'metric_code', 'measure_node']
        ) }}
    ) as checks
),

measure_checks as (
    select *
    from (
        {{ hierarchy_sum_checks(
            'cells',
            'measure_edges',
            'measure',
            'measure_node',
            ['scenario', 'metric_code', 'county_code']
        ) }}
    ) as checks
)

select
    scenario,
    metric_code,
    hierarchy,
    cast(null as varchar) as county_code,
    measure_node,
    parent_code,
    printed_children,
    is_parent_printed,
    expected,
    observed,
    difference,
    status
from county_checks
union all
select
    scenario,
    metric_code,
    hierarchy,
    county_code,
    cast(null as varchar) as measure_node,
    parent_code,
    printed_children,
    is_parent_printed,
    expected,
    observed,
    difference,
    status
from measure_checks
