{#- Every row of `grid` with its printed count: 0 where the report prints nothing (a
    blank, or a row left out), null where the cell is suppressed, and whether it was
    printed. `grid` and `printed` name relations (CTEs) that share the columns `keys`;
    `printed` has participants and is_suppressed. -#}
{% macro completed_with_zeros(grid, printed, keys) -%}
    select
        {%- for key in keys %}
        {{ grid }}.{{ key }},
        {%- endfor %}
        case
            when {{ printed }}.is_suppressed then null
            else coalesce({{ printed }}.participants, 0)
        end as participants,
        coalesce({{ printed }}.is_suppressed, false) as is_suppressed,
        {{ printed }}.{{ keys[0] }} is not null as is_printed
    from {{ grid }}
    left join {{ printed }}
        on
            {%- for key in keys %}
            {% if not loop.first %}and {% endif %}{{ grid }}.{{ key }} = {{ printed }}.{{ key }}
            {%- endfor %}
{%- endmacro %}
