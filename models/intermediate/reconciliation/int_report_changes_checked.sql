-- Rule family of the change columns, at every printed percent: the printed percent
-- equals NAV's formula (percent_change_formula), and last year's count, count -
-- change, is not negative (last_year_not_negative). One row per rule and cell.
{{ config(**by_month('report_month')) }}
{%- set coordinates = reconciliation_coordinates() %}
{%- set text = engine_type('varchar') %}
{#- a printed percent: its cell and its figure's coordinates -#}
{%- set percent_columns = [
    'report_month', 'table_code', 'page_number', 'line_number', 'column_number'
] + coordinates.values() | list %}
{#- the rules: each a ledger row per printed percent -#}
{%- set change_rules = [
    {
        'rule_id': 'percent_change_formula',
        'scope': "': metric change_pct'",
        'expected': 'change_pct_expected',
        'observed': 'change_pct_published',
        'passes': 'change_pct_expected = change_pct_published'
            ~ ' or (change_pct_expected is null and change_pct_published is null)',
    },
    {
        'rule_id': 'last_year_not_negative',
        'scope': "': last year'",
        'expected': '0',
        'observed': 'participants_last_year',
        'passes': 'participants_last_year >= 0',
    },
] %}

with

terms as (
    select * from {{ ref('int_report_change_terms') }}
    where {{ in_build_months('report_month') }}
),

-- each printed percent with the terms of its identities (int_report_change_terms)
checked as (
    select
        {% for column in percent_columns -%}
            {{ column }},
        {% endfor -%}
        -- a count without a change printed beside it is no figure of these rules
        case when has_change then participants end as participants,
        change_from_last_year,
        participants_last_year,
        {{ percent_change('change_from_last_year', 'participants_last_year') }}
            as change_pct_expected,
        change_pct_published,
        -- no change printed for the figure: nothing to check the percent against
        is_percent_suppressed or not has_change or has_suppressed_term as is_not_checkable
    from (
        select
            {% for column in percent_columns -%}
                {{ column }},
            {% endfor -%}
            count(case when term_role = 'change' then 1 end) > 0 as has_change,
            max(case when term_role = 'participants' then cell_value end) as participants,
            max(case when term_role = 'change' then cell_value end) as change_from_last_year,
            -- last year's count, count - change: the terms with their coefficients,
            -- unknown unless both are printed
            case
                when
                    count(case when term_role = 'change' then 1 end) > 0
                    and count(
                        case when coefficient != 0 and cell_value is not null then 1 end
                    ) = 2
                    then cast(
                        sum(case when coefficient != 0 then coefficient * cell_value end)
                        as integer
                    )
            end as participants_last_year,
            max(case when term_role = 'percent' then cell_value end) as change_pct_published,
            max(
                case when term_role = 'percent' and is_suppressed then 1 else 0 end
            ) = 1 as is_percent_suppressed,
            max(
                case when term_role != 'percent' and is_suppressed then 1 else 0 end
            ) = 1 as has_suppressed_term
        from terms
        group by
            {% for column in percent_columns -%}
                {{ column }}{% if not loop.last %},{% endif %}
            {% endfor %}
    ) as percents
),

-- each rule of the family, from the same rows: what it expects, what is printed and
-- when it passes (not checkable where a term is suppressed or missing)
checks as (
    {% for rule in change_rules %}
        select
            report_month,
            '{{ rule.rule_id }}' as rule_id,
            {{ dbt.concat(
                ["table_code", "' line '", "cast(line_number as " ~ text ~ ")", rule.scope]
                + ledger_scope_parts(coordinates.values() | list)
            ) }} as scope,
            {% for column in percent_columns[1:] -%}
                {{ column }},
            {% endfor -%}
            participants,
            change_from_last_year,
            participants_last_year,
            {{ rule.expected }} as expected,
            {{ rule.observed }} as observed,
            {{ rule.observed }} - {{ rule.expected }} as difference,
            case
                when is_not_checkable then 'not_checkable'
                when {{ rule.passes }} then 'pass'
                else 'fail'
            end as status
        from checked
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from checks
