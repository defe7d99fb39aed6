{#- Every expected key combination is present exactly once.

    `dimensions` is a list of {column, relation, key}: the expected combinations are
    the cross product of the distinct `key` values of each `relation`, renamed to
    `column`. With `per` (a list of columns of the model), the product is taken
    separately for every value of `per` present in the model (e.g. every month
    loaded). A dimension with `valid_at: <a per column>` expects only the members in
    force at that scope: its relation has `valid_from` / `valid_to` (null = open),
    e.g. the counties of the division in force in each month. Missing and duplicated
    combinations are returned. -#}
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
            {% if dimension.valid_at %}
                inner join (
                    select distinct {{ dimension.key }}, valid_from, valid_to
                    from {{ dimension.relation }}
                ) as dimension_{{ loop.index }}
                    on
                        (
                            dimension_{{ loop.index }}.valid_from is null
                            or dimension_{{ loop.index }}.valid_from <= scopes.{{ dimension.valid_at }}
                        )
                        and (
                            dimension_{{ loop.index }}.valid_to is null
                            or dimension_{{ loop.index }}.valid_to >= scopes.{{ dimension.valid_at }}
                        )
            {% else %}
                {% if per or not loop.first %}cross join{% endif %}
                (select distinct {{ dimension.key }} from {{ dimension.relation }}) as dimension_{{ loop.index }}
            {% endif %}
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
