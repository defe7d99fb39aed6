{#- Where and how a hierarchy's "parent = sum of children" identity is checked, for
    the two scopes of the reconciliation. Declared once: the ledger
    (fct_reconciliation_checks) and the children_sum_to_total tests both read it.

    within_table   each printed (sub-)table on its own, in int_report_cells_located:
                   rows sum to the I alt row, columns to the I alt column. Not along
                   the sub-heading's dimension, whose parent is printed in another table.
    across_tables  the cube of every figure printed anywhere, int_report_cube: the
                   per-county tables sum to the national ones, the participant groups'
                   tables to the all-groups ones, and so on. -#}
{% macro reconciliation_scope(scope, hierarchy) %}
    {%- set coordinates = reconciliation_coordinates() -%}
    {%- set node_column = coordinates[hierarchy] -%}
    {%- set others = coordinates.values() | reject('equalto', node_column) | list -%}
    {%- if scope == 'within_table' -%}
        {%- set spec = {
            'relation': ref('int_report_cells_located'),
            'node_column': node_column,
            'partition_by': ['report_month', 'table_code', 'sub_table', 'metric_code'] + others,
            'where': "is_additive and coalesce(subheading_role, '') != '" ~ hierarchy ~ "'",
        } -%}
    {%- elif scope == 'across_tables' -%}
        {%- set spec = {
            'relation': ref('int_report_cube'),
            'node_column': node_column,
            'partition_by': ['report_month', 'metric_code'] + others,
            'where': 'is_additive',
        } -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "reconciliation_scope: scope must be within_table or across_tables, not " ~ scope
        ) }}
    {%- endif -%}
    {{ return(spec) }}
{% endmacro %}


{#- The cube's dimensions: hierarchy -> the column holding a cell's node in it. -#}
{% macro reconciliation_coordinates() %}
    {{ return({
        'county': 'county_code',
        'participant_group': 'participant_group_code',
        'age_band': 'age_band_code',
        'measure': 'measure_node',
    }) }}
{% endmacro %}
