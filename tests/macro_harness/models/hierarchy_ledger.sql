-- hierarchy_sum_checks over the same fixture cells, both hierarchies, every scenario:
-- the rows whose status (pass / fail / not_checkable) the unit tests assert.
with

county_checks as (
    select *
    from (
        {{ hierarchy_sum_checks(
            ref('fixture_cells'),
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
            ref('fixture_cells'),
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
