-- The identities of rule family across_tables_<hierarchy>, as data: in the cube of
-- every figure printed anywhere, for every parent with a printed child, the figures
-- it adds up: the children (+1) and the parent (-1), each named by its first
-- printing. An identity is keyed by report_month, rule_id, metric_code and the
-- coordinates (the parent's node in its hierarchy's column). Written here only: the
-- rule model int_report_cube_reconciled checks these terms, the locator reads them
-- through int_report_identity_terms. A view: each reader computes the months it
-- reads.
{{ config(materialized='view') }}

{{ hierarchy_rule_terms(
    'across_tables',
    ref('int_report_cube'),
    ref('int_hierarchy_edges'),
    [],
    where='is_additive',
    cell_key=['first_table_code', 'first_line_number', 'first_column_number'],
) }}
