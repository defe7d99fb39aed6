-- The report's identities as data: for every row of the rule models (one identity,
-- keyed by month, rule and scope), the printed cells it adds up, each with its
-- coefficient. The hierarchy rules' terms are int_report_tables_sum_terms' and
-- int_report_cube_sum_terms', the change rules' int_report_change_terms' and the
-- cross-month rule's int_report_cross_month_terms', which their rule models check; the
-- same-figure rule's are the two cells its row names. A linear identity holds when the
-- sum of coefficient x cell value is 0 (identity_form linear_equality) or at least 0
-- (linear_at_least); the percent formula names its percent, count and change cells
-- (identity_form percent_formula). A figure of the cube stands for its first printing;
-- the same-figure rule ties the other printings to it. The cross-month rule adds up
-- cells of two reports: cell_month is the month of the report a cell is printed in.
-- The rule models are macro reconciliation_rule_models' (it says why the
-- republication rule has no terms). What error localisation (navtiltak/locate/)
-- reads: a view, computed only when read, so that a passing build does not pay for it.
{{ config(materialized='view') }}
{%- set coordinates = reconciliation_coordinates() %}
{#- the change rules: the percent formula is not linear (0); last year, the terms' own -#}
{%- set change_coefficient -%}
    case when rules.rule_id = 'percent_change_formula' then 0 else terms.coefficient end
{%- endset %}
{%- set cross_month_identity = [
    'earlier_month', 'comparison_level', 'area_code',
    'participant_group_code', 'age_band_code', 'measure_node',
] %}

with

-- the rows of the rule models with terms: one identity each, with its scope and status
{% for rule in reconciliation_rule_models() if rule.has_terms %}
    {{ rule_family(rule.model) }} as (
        select * from {{ ref(rule.model) }}
    ),

{% endfor %}
tables_sum_terms as (
    select * from {{ ref('int_report_tables_sum_terms') }}
),

cube_sum_terms as (
    select * from {{ ref('int_report_cube_sum_terms') }}
),

change_cell_terms as (
    select * from {{ ref('int_report_change_terms') }}
),

cross_month_cell_terms as (
    select * from {{ ref('int_report_cross_month_terms') }}
),

-- within_table_<hierarchy> and across_tables_<hierarchy>: the terms of
-- int_report_tables_sum_terms and int_report_cube_sum_terms, where they are
-- defined, with the rule model's row of their identity
hierarchy_terms as (
    {% for rule_model, sum_terms, table_columns in [
        ('tables_reconciled', 'tables_sum_terms', ['table_code', 'sub_table']),
        ('cube_reconciled', 'cube_sum_terms', []),
    ] %}
        select
            {{ identity_term(
                'rules', 'terms.term_role', 'terms.coefficient', 'terms', cell_prefix='cell_'
            ) }}
        from {{ rule_model }} as rules
        inner join {{ sum_terms }} as terms
            on
                rules.report_month = terms.report_month
                and rules.rule_id = terms.rule_id
                {% for column in table_columns -%}
                    and rules.{{ column }} = terms.{{ column }}
                {% endfor -%}
                and rules.metric_code = terms.metric_code
                {% for column in coordinates.values() -%}
                    and rules.{{ column }} = terms.{{ column }}
                {% endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- same_figure_in_every_table: the rule's row names both cells, a later printing (+1)
-- and the first (-1)
same_figure_terms as (
    select
        {{ identity_term('rules', "'printing'", '1', 'rules') }}
    from figures_compared as rules
    union all
    select
        {{ identity_term('rules', "'first_printing'", '-1', 'rules', cell_prefix='first_') }}
    from figures_compared as rules
),

-- percent_change_formula and last_year_not_negative: the terms of
-- int_report_change_terms, where they are defined, with the rule model's row of the
-- percent they belong to; the formula names its cells by role (not linear: 0), the
-- last-year rule keeps the count and change with their coefficients
change_terms as (
    select
        {{ identity_term(
            'rules', 'terms.term_role', change_coefficient, 'terms', cell_prefix='cell_'
        ) }}
    from changes_checked as rules
    inner join change_cell_terms as terms
        on
            rules.report_month = terms.report_month
            and rules.table_code = terms.table_code
            and rules.line_number = terms.line_number
            and rules.column_number = terms.column_number
    where rules.rule_id = 'percent_change_formula' or terms.term_role != 'percent'
),

-- last_year_matches_earlier_report: the terms of int_report_cross_month_terms, where
-- they are defined, with the rule model's row of their identity. Where a municipality
-- crossed the area's border the two reports differ for a real reason (not_checkable
-- in the rule model): no identity there.
cross_month_terms as (
    select
        {{ identity_term('rules', 'terms.term_role', 'terms.coefficient', 'terms') }},
        terms.cell_month
    from months_compared as rules
    inner join cross_month_cell_terms as terms
        on
            rules.report_month = terms.report_month
            {% for column in cross_month_identity -%}
                and rules.{{ column }} = terms.{{ column }}
            {% endfor %}
    where not rules.is_border_moved
),

within_month_terms as (
    select
        *,
        'linear_equality' as identity_form
    from hierarchy_terms
    union all
    select
        *,
        'linear_equality' as identity_form
    from same_figure_terms
    union all
    select
        *,
        case
            when rule_id = 'percent_change_formula' then 'percent_formula'
            else 'linear_at_least'
        end as identity_form
    from change_terms
),

terms as (
    select
        *,
        report_month as cell_month
    from within_month_terms
    union all
    select
        report_month,
        rule_id,
        scope,
        identity_status,
        term_role,
        coefficient,
        table_code,
        line_number,
        column_number,
        'linear_equality' as identity_form,
        cell_month
    from cross_month_terms
)

select * from terms
