{#- Rows for which the boolean `expression` is not true (false or null). -#}
{% test expression_holds(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
