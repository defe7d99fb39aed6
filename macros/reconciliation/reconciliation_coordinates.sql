{#- The cube's dimensions: hierarchy -> the column holding a cell's node in it.
    Every rule model that walks a hierarchy or spells out a coordinate reads it here. -#}
{% macro reconciliation_coordinates() %}
    {{ return({
        'county': 'county_code',
        'participant_group': 'participant_group_code',
        'age_band': 'age_band_code',
        'measure': 'measure_node',
    }) }}
{% endmacro %}
