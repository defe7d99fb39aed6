-- Rule family across_tables_<hierarchy>: in the cube of every figure printed
-- anywhere, parts sum to their total wherever each is printed: the per-county
-- tables to the national ones, the participant groups' tables to the all-groups
-- ones, the age bands to all ages, measures to their group and groups to all
-- measures. One row per printed parent coordinate.
{{ config(**by_month('report_month')) }}

with

-- the identities of int_report_cube_sum_terms, checked (macros/reconciliation/)
checks as (
    {{ hierarchy_rule_checks(
        'across_tables',
        ref('int_report_cube_sum_terms'),
        [],
        [],
    ) }}
)

select * from checks
