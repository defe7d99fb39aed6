-- Every area whose border a municipality crossed, with the day: each county it left
-- or joined (comparison level 'county'), and each region it left or joined when it
-- moved between regions (level 'region'; a move inside a region leaves it whole).
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

moved_areas as (
    select
        municipality_code,
        municipality_name,
        moved_on,
        from_county_code,
        to_county_code,
        'county' as comparison_level,
        from_county_code as area_code
    from moves_with_regions
    union all
    select
        municipality_code,
        municipality_name,
        moved_on,
        from_county_code,
        to_county_code,
        'county' as comparison_level,
        to_county_code as area_code
    from moves_with_regions
    union all
    select
        municipality_code,
        municipality_name,
        moved_on,
        from_county_code,
        to_county_code,
        'region' as comparison_level,
        from_region_code as area_code
    from moves_with_regions
    where from_region_code != to_region_code
    union all
    select
        municipality_code,
        municipality_name,
        moved_on,
        from_county_code,
        to_county_code,
        'region' as comparison_level,
        to_region_code as area_code
    from moves_with_regions
    where from_region_code != to_region_code
)

select * from moved_areas
