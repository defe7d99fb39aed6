-- The reconciliation ledger: one row per month, rule and scope, every identity the
-- report implies. Each rule family is computed once, in its model under
-- models/intermediate/reconciliation/ (where the tests assert on it too); this is
-- their union with the rules' descriptions.
{{ config(**by_month('month')) }}
with

rules as (
    select * from {{ ref('stg_reference__reconciliation_rules') }}
),

tables_reconciled as (
    select * from {{ ref('int_report_tables_reconciled') }}
    where {{ in_build_months('report_month') }}
),

cube_reconciled as (
    select * from {{ ref('int_report_cube_reconciled') }}
    where {{ in_build_months('report_month') }}
),

figures_compared as (
    select * from {{ ref('int_report_figures_compared') }}
    where {{ in_build_months('report_month') }}
),

changes_checked as (
    select * from {{ ref('int_report_changes_checked') }}
    where {{ in_build_months('report_month') }}
),

months_compared as (
    select * from {{ ref('int_report_months_compared') }}
    where {{ in_build_months('report_month') }}
),

tables_republished as (
    select * from {{ ref('int_report_tables_republished') }}
    where {{ in_build_months('report_month') }}
),

ledger as (
    {% for rule_family in [
        'tables_reconciled',
        'cube_reconciled',
        'figures_compared',
        'changes_checked',
        'months_compared',
        'tables_republished',
    ] %}
        select
            report_month,
            rule_id,
            scope,
            expected,
            observed,
            difference,
            status
        from {{ rule_family }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    cast(ledger.report_month as date) as month,
    cast(ledger.rule_id as {{ engine_type('varchar') }}) as rule_id,
    cast(rules.rule_description as {{ engine_type('varchar') }}) as rule_description,
    cast(ledger.scope as {{ engine_type('varchar') }}) as scope,
    cast(ledger.expected as bigint) as expected,
    cast(ledger.observed as bigint) as observed,
    cast(ledger.difference as bigint) as difference,
    cast(ledger.status as {{ engine_type('varchar') }}) as status
from ledger
left join rules on ledger.rule_id = rules.rule_id
