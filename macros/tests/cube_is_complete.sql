{#- Every expected key combination is present exactly once.

    `dimensions` is a list of {column, relation, key}: the expected combinations are
    the cross product of the distinct `key` values of each `relation`, renamed to
    `column`. With `per` (a list of columns of the model), the product is taken
    separately for every value of `per` present in the model (e.g. every month
    loaded). Missing and duplicated combinations are returned. -#}
{% test cube_is_complete(model, dimensions, per=[]) %}

with

present as (
    select
        {% for column in per + (dimensions | map(attribute='column') | list) %}
            {{ column }},
        {% endfor %}
        count(*) as occurrences
    from {{ model }}
    group by
        {{ (per + (dimensions | map(attribute='column') | list)) | join(', ') }}
),

{% if per %}
scopes as (
    select distinct {{ per | join(', ') }}
    from {{ model }}
),
{% endif %}

expected as (
    select
        {% for column in per %}
            scopes.{{ column }},
        {% endfor %}
        {% for dimension in dimensions %}
            dimension_{{ loop.index }}.{{ dimension.key }} as {{ dimension.column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from
        {% if per %}scopes{% endif %}
        {% for dimension in dimensions %}
            {% if per or not loop.first %}cross join{% endif %}
            (select distinct {{ dimension.key }} from {{ dimension.relation }}) as dimension_{{ loop.index }}
        {% endfor %}
),

compared as (
    select
        {% for column in per + (dimensions | map(attribute='column') | list) %}
            coalesce(expected.{{ column }}, present.{{ column }}) as {{ column }},
        {% endfor %}
        coalesce(present.occurrences, 0) as occurrences,
        expected.{{ dimensions[0].column }} is not null as is_expected
    from expected
    full outer join present
        on
        {% for column in per + (dimensions | map(attribute='column') | list) %}
            {% if not loop.first %}and {% endif %}expected.{{ column }} = present.{{ column }}
        {% endfor %}
)

select *
from compared
where occurrences != 1 or not is_expected

{% endtest %}
