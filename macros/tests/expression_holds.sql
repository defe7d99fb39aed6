{#- Rows for which the boolean `expression` is not true (false or null). `built_before`,
    when given, is a relation (a ref) that dbt builds before this test, not read by it:
    a model downstream of a failing test is skipped, and what `built_before` names must
    exist in a failed build. -#}
{% test expression_holds(model, expression, built_before=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
