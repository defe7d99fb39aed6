{#- The rule models: one a rule family, each row of each an identity the report implies
    (the ledger's columns). fct_reconciliation_checks publishes them all;
    int_report_identity_terms reads those whose identities are written as terms
    (has_terms). The republication rule has none: it compares a printed cell with the
    facts, which are the report's own finest cells, so when every sum holds it fails
    only where the pipeline lost or invented a number, which no printed cell explains. -#}
{% macro reconciliation_rule_models() %}
    {{ return([
        {'model': 'int_report_tables_reconciled', 'has_terms': true},
        {'model': 'int_report_cube_reconciled', 'has_terms': true},
        {'model': 'int_report_figures_compared', 'has_terms': true},
        {'model': 'int_report_changes_checked', 'has_terms': true},
        {'model': 'int_report_months_compared', 'has_terms': true},
        {'model': 'int_report_tables_republished', 'has_terms': false},
    ]) }}
{% endmacro %}

{#- A rule model's name in the models that read it: int_report_cube_reconciled ->
    cube_reconciled. -#}
{% macro rule_family(model) %}
    {{- return(model | replace('int_report_', '')) -}}
{% endmacro %}
