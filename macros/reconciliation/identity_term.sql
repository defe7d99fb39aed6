{#- The columns of one term of int_report_identity_terms: the identity (month, rule,
    scope, status) of the rule model's row `rules`, and the printed cell of `cells`
    (its columns <cell_prefix>table_code, line_number, column_number) with its role and
    coefficient (SQL expressions). -#}
{% macro identity_term(rules, role, coefficient, cells, cell_prefix='') %}
        {{ rules }}.report_month,
        {{ rules }}.rule_id,
        {{ rules }}.scope,
        {{ rules }}.status as identity_status,
        {{ role }} as term_role,
        {{ coefficient }} as coefficient,
        {{ cells }}.{{ cell_prefix }}table_code as table_code,
        {{ cells }}.{{ cell_prefix }}line_number as line_number,
        {{ cells }}.{{ cell_prefix }}column_number as column_number
{%- endmacro %}
