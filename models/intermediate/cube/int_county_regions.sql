-- The region of every area a report prints: the county of the 2020 division (the
-- coarsest since 2013) that a county lies in; the non-county areas and the national
-- total ('total') are their own region.
with

counties as (
    select * from {{ ref('stg_reference__counties') }}
),

non_county_areas as (
    select * from {{ ref('stg_reference__non_county_areas') }}
),

regions as (
    select
        county_code,
        region_code
    from counties
    union all
    select
        area_code as county_code,
        area_code as region_code
    from non_county_areas
    union all
    select
        'total' as county_code,
        'total' as region_code
)

select * from regions
