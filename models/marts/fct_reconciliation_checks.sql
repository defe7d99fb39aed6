-- The reconciliation ledger: one row per month, rule and scope, every identity the
-- report implies. Each rule family is computed once, in its model under
-- models/intermediate/reconciliation/ (where the tests assert on it too; the list is
-- macro reconciliation_rule_models); this is their union with the rules' descriptions.
{{ config(**by_month('month')) }}
with

rules as (
    select * from {{ ref('stg_reference__reconciliation_rules') }}
),

{% for rule in reconciliation_rule_models() %}
    {{ rule_family(rule.model) }} as (
        select * from {{ ref(rule.model) }}
        where {{ in_build_months('report_month') }}
    ),

{% endfor %}
ledger as (
    {% for rule in reconciliation_rule_models() %}
        select
            report_month,
            rule_id,
            scope,
            expected,
            observed,
            difference,
            status
        from {{ rule_family(rule.model) }}
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
