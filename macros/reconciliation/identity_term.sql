{#- The columns of one term of int_report_identity_terms: the identity (month, rule,
    scope, status) of the rule model's row `rules`, and the printed cell of `cells`
    with its role and coefficient (SQL expressions). -#}
{% macro identity_term(rules, role, coefficient, cells) %}
        {{ rules }}.report_month,
        {{ rules }}.rule_id,
        {{ rules }}.scope,
        {{ rules }}.status as identity_status,
        {{ role }} as term_role,
        {{ coefficient }} as coefficient,
        {{ cells }}.table_code,
        {{ cells }}.line_number,
        {{ cells }}.column_number
{%- endmacro %}
