{#- True when a dimension member (a relation alias of int_dimension_members) was in
    force on `day`: members without dates (everything but counties) always are. -#}
{% macro member_in_force(member, day) -%}
    ({{ member }}.valid_from is null or {{ member }}.valid_from <= {{ day }})
    and ({{ member }}.valid_to is null or {{ member }}.valid_to >= {{ day }})
{%- endmacro %}
