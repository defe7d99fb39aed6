-- The identities of rule family within_table_<hierarchy>, as data: within each
-- printed (sub-)table, for every parent with a printed child, the cells it adds up:
-- the children (+1) and the parent (-1), along every hierarchy but the
-- sub-heading's (whose parent is printed in another table). An identity is keyed by
-- report_month, rule_id, table_code, sub_table, metric_code and the coordinates (the
-- parent's node in its hierarchy's column). Written here only: the rule model
-- int_report_tables_reconciled checks these terms, the locator reads them through
-- int_report_identity_terms. A view: each reader computes the months it reads.
{{ config(materialized='view') }}

{{ hierarchy_rule_terms(
    'within_table',
    ref('int_report_cells_located'),
    ref('int_hierarchy_edges'),
    ['table_code', 'sub_table'],
    where="is_additive and coalesce(subheading_role, '') != '{hierarchy}'",
    cell_key=['table_code', 'line_number', 'column_number'],
) }}
