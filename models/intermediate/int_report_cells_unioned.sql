{%- set staged = [
    ref('stg_report__hovedgrupper'),
    ref('stg_report__fylke'),
    ref('stg_report__fylke_og_hovedgruppe'),
    ref('stg_report__fylke_og_alder'),
    ref('stg_report__fylke_alder_og_hovedgrupper'),
    ref('stg_report__fylke_og_tiltak'),
    ref('stg_report__fylke_tiltak_og_hovedgrupper'),
    ref('stg_report__tiltak_og_hovedgrupper'),
    ref('stg_report__tiltak_hovedgrupper_og_fylke'),
] -%}

{{ assert_printed_labels_known(staged) }}

with

unioned as (
    {% for relation in staged %}
        -- every staging view has the same columns: one macro stages them all
        select *
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
