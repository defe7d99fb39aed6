-- Every county of every division since 1972, one row per official county number,
-- and the two areas the report prints that are not counties. Each county lies in one
-- region, the county of the 2020 division (the coarsest) that holds it; the mapping
-- is approximate for a county that held a municipality that ended in another region.
with

counties as (
    select * from {{ ref('stg_reference__counties') }}
),

non_county_areas as (
    select * from {{ ref('stg_reference__non_county_areas') }}
),

area_border_moves as (
    select * from {{ ref('int_area_border_moves') }}
),

-- a municipality that left a county for another region makes the county's region
-- mapping approximate
moves_across_regions as (
    select distinct
        from_county_code as county_code,
        municipality_name
    from area_border_moves
    where comparison_level = 'region'
),

approximate_counties as (
    select
        county_code,
        {{ sorted_list('municipality_name', ', ') }}
            as municipalities_elsewhere
    from moves_across_regions
    group by county_code
),

report_counties as (
    select
        counties.county_code,
        counties.county_name,
        true as is_county,
        counties.valid_from,
        counties.valid_to,
        counties.region_code,
        regions.county_name as region_name,
        approximate_counties.municipalities_elsewhere as region_mapping_exceptions,
        counties.county_code_2024,
        counties_2024.county_name as county_name_2024,
        case
            when approximate_counties.county_code is null then 'exact' else 'approximate'
        end as region_mapping,
        cast(counties.county_code as integer) as sort_order
    from counties
    inner join counties as regions
        on counties.region_code = regions.county_code
    left join counties as counties_2024
        on counties.county_code_2024 = counties_2024.county_code
    left join approximate_counties
        on counties.county_code = approximate_counties.county_code
),

report_non_county_areas as (
    select
        area_code as county_code,
        area_name as county_name,
        false as is_county,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        area_code as region_code,
        area_name as region_name,
        cast(null as {{ engine_type('varchar') }}) as region_mapping_exceptions,
        cast(null as {{ engine_type('varchar') }}) as county_code_2024,
        cast(null as {{ engine_type('varchar') }}) as county_name_2024,
        'exact' as region_mapping,
        sort_order
    from non_county_areas
),

unioned as (
    select * from report_counties
    union all
    select * from report_non_county_areas
)

select
    county_code,
    county_name,
    is_county,
    valid_from,
    valid_to,
    region_code,
    region_name,
    region_mapping,
    region_mapping_exceptions,
    county_code_2024,
    county_name_2024,
    sort_order
from unioned
