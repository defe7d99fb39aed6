{#- One row per rule and scope: every identity the report implies, evaluated for
    every month loaded. The hierarchy rules come from the same macro as the
    children_sum_to_total tests; the other rules from the intermediate models the
    tests run on. -#}
{%- set coordinates = reconciliation_coordinates() -%}

with

rules as (
    select * from {{ ref('stg_reference__reconciliation_rules') }}
),

hierarchy_checks as (
    {% for hierarchy, node_column in coordinates.items() %}
        {%- set others = coordinates.values() | reject('equalto', node_column) | list %}
        {%- for scope_kind in ['within_table', 'across_tables'] %}
            {%- set spec = reconciliation_scope(scope_kind, hierarchy) %}
            select
                report_month,
                '{{ scope_kind }}_{{ hierarchy }}' as rule_id,
                {{ dbt.concat(
                    (["table_code", "': '"] if scope_kind == 'within_table' else [])
                    + ["'" ~ hierarchy ~ " '", "parent_code", "' = sum of its parts; metric '", "metric_code"]
                    + ledger_scope_parts(others)
                ) }} as scope,
                expected,
                observed,
                difference,
                status
            from ({{ hierarchy_sum_checks(
                spec.relation, hierarchy, spec.node_column, spec.partition_by, where=spec.where
            ) }}) as checks
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

same_figure_checks as (
    select
        report_month,
        'same_figure_in_every_table' as rule_id,
        {{ dbt.concat([
            "table_code", "' line '", "cast(line_number as " ~ dbt.type_string() ~ ")",
            "' column '", "cast(column_number as " ~ dbt.type_string() ~ ")",
            "' = '", "first_table_code", "' line '",
            "cast(first_line_number as " ~ dbt.type_string() ~ ")",
        ]) }} as scope,
        expected,
        observed,
        observed - expected as difference,
        status
    from {{ ref('int_report_figures_compared') }}
),

change_checks as (
    select
        report_month,
        'percent_change_formula' as rule_id,
        {{ dbt.concat(
            ["table_code", "' line '", "cast(line_number as " ~ dbt.type_string() ~ ")", "': metric change_pct'"]
            + ledger_scope_parts(coordinates.values() | list)
        ) }} as scope,
        change_pct_expected as expected,
        change_pct_published as observed,
        change_pct_published - change_pct_expected as difference,
        percent_status as status
    from {{ ref('int_report_changes_checked') }}
    union all
    select
        report_month,
        'last_year_not_negative' as rule_id,
        {{ dbt.concat(
            ["table_code", "' line '", "cast(line_number as " ~ dbt.type_string() ~ ")", "': last year'"]
            + ledger_scope_parts(coordinates.values() | list)
        ) }} as scope,
        0 as expected,
        participants_last_year as observed,
        participants_last_year as difference,
        last_year_status as status
    from {{ ref('int_report_changes_checked') }}
),

month_checks as (
    select
        report_month,
        'last_year_matches_earlier_report' as rule_id,
        {{ dbt.concat(
            ["'participants of '", "cast(earlier_month as " ~ dbt.type_string() ~ ")"]
            + ledger_scope_parts(coordinates.values() | list)
        ) }} as scope,
        earlier_participants as expected,
        participants_last_year as observed,
        participants_last_year - earlier_participants as difference,
        status
    from {{ ref('int_report_months_compared') }}
),

republication_checks as (
    select
        report_month,
        'marts_republish_report' as rule_id,
        {{ dbt.concat(["table_code", "': printed cells rebuilt exactly from the marts'"]) }}
            as scope,
        count(*) as expected,
        sum(case when status = 'fail' then 0 else 1 end) as observed,
        sum(case when status = 'fail' then 0 else 1 end) - count(*) as difference,
        case
            when sum(case when status = 'fail' then 1 else 0 end) > 0 then 'fail'
            when sum(case when status = 'not_checkable' then 1 else 0 end) > 0
                then 'not_checkable'
            else 'pass'
        end as status
    from ({{ republished_cells() }}) as republished
    group by report_month, table_code
),

ledger as (
    select * from hierarchy_checks
    union all
    select * from same_figure_checks
    union all
    select * from change_checks
    union all
    select * from month_checks
    union all
    select * from republication_checks
)

select
    cast(ledger.report_month as date) as month,
    cast(ledger.rule_id as {{ dbt.type_string() }}) as rule_id,
    cast(rules.rule_description as {{ dbt.type_string() }}) as rule_description,
    cast(ledger.scope as {{ dbt.type_string() }}) as scope,
    cast(ledger.expected as bigint) as expected,
    cast(ledger.observed as bigint) as observed,
    cast(ledger.difference as bigint) as difference,
    cast(ledger.status as {{ dbt.type_string() }}) as status
from ledger
left join rules on ledger.rule_id = rules.rule_id
