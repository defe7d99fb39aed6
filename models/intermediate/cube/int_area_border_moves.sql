-- Every area whose border a municipality crossed, with the day: each county it left
-- or joined (comparison level 'county'), and each region it left or joined when it
-- moved between regions (level 'region'; a move inside a region leaves it whole).
{%- set area_sides = [
    ('county', 'from'), ('county', 'to'), ('region', 'from'), ('region', 'to'),
] %}

with

municipality_moves as (
    select * from {{ ref('stg_reference__municipality_moves') }}
),

regions as (
    select * from {{ ref('int_county_regions') }}
),

moves_with_regions as (
    select
        municipality_moves.municipality_code,
        municipality_moves.municipality_name,
        municipality_moves.moved_on,
        municipality_moves.from_county_code,
        municipality_moves.to_county_code,
        from_regions.region_code as from_region_code,
        to_regions.region_code as to_region_code
    from municipality_moves
    inner join regions as from_regions
        on municipality_moves.from_county_code = from_regions.county_code
    inner join regions as to_regions
        on municipality_moves.to_county_code = to_regions.county_code
),

-- the county and the region on each side of a move: one row per area it crossed
moved_areas as (
    {% for level, side in area_sides %}
        select
            municipality_code,
            municipality_name,
            moved_on,
            from_county_code,
            to_county_code,
            '{{ level }}' as comparison_level,
            {{ side }}_{{ level }}_code as area_code
        from moves_with_regions
        {% if level == 'region' -%}
            -- a move inside a region leaves it whole
            where from_region_code != to_region_code
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from moved_areas
