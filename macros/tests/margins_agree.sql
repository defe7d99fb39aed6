{#- The same margin agrees across two relations.

    Joins `model` and `compare_model` on `keys` and returns the rows where
    `value_column` differs from `compare_value_column` (null-safe: a value on one
    side only is a difference). dbt's `where` config restricts `model`;
    `compare_where` restricts `compare_model`. With `require_both`, a key found on
    one side only is a difference too. -#}
{% test margins_agree(
    model,
    compare_model,
    keys,
    value_column,
    compare_value_column=none,
    compare_where=none,
    require_both=false
) %}

{%- set compare_value_column = compare_value_column or value_column -%}

with

left_side as (
    select
        {% for key in keys %}{{ key }}, {% endfor %}
        {{ value_column }} as left_value
    from {{ model }}
),

right_side as (
    select
        {% for key in keys %}{{ key }}, {% endfor %}
        {{ compare_value_column }} as right_value
    from {{ compare_model }}
    {% if compare_where %}where {{ compare_where }}{% endif %}
),

joined as (
    select
        {% for key in keys %}
            coalesce(left_side.{{ key }}, right_side.{{ key }}) as {{ key }},
        {% endfor %}
        left_side.left_value,
        right_side.right_value,
        left_side.{{ keys[0] }} is not null as on_left,
        right_side.{{ keys[0] }} is not null as on_right
    from left_side
    {{ 'full outer' if require_both else 'inner' }} join right_side
        on
        {% for key in keys %}
            {% if not loop.first %}and {% endif %}left_side.{{ key }} = right_side.{{ key }}
        {% endfor %}
)

select *
from joined
where
    not (on_left and on_right)
    or left_value != right_value
    or (left_value is null) != (right_value is null)

{% endtest %}
