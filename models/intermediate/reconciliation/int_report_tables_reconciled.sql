-- Rule family within_table_<hierarchy>: within each printed (sub-)table, parts sum
-- to their "I alt", along the table's rows and columns, for every hierarchy
-- (counties, participant groups, age bands, measures -> measure group -> I alt).
-- Not along the sub-heading's dimension: its parent is printed in another table,
-- which the across-table rules check. One row per printed parent.
{{ config(**by_month('report_month')) }}

with

-- the identities of int_report_tables_sum_terms, checked (macros/reconciliation/)
checks as (
    {{ hierarchy_rule_checks(
        'within_table',
        ref('int_report_tables_sum_terms'),
        ['table_code', 'sub_table'],
        ['table_code', "': '"],
    ) }}
)

select * from checks
