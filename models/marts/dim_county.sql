with

counties as (
    select * from {{ ref('stg_reference__fylke_2013') }}
),

counties_2024 as (
    select * from {{ ref('stg_reference__fylke_2013_til_2024') }}
),

non_county_areas as (
    select * from {{ ref('stg_reference__non_county_areas') }}
),

report_counties as (
    select
        counties.county_code,
        counties.county_name,
        true as is_county,
        counties_2024.county_code_2024,
        counties_2024.county_name_2024,
        cast(counties.county_code as integer) as sort_order
    from counties
    left join counties_2024
        on counties.county_code = counties_2024.county_code
),

report_non_county_areas as (
    select
        area_code as county_code,
        area_name as county_name,
        false as is_county,
        cast(null as {{ dbt.type_string() }}) as county_code_2024,
        cast(null as {{ dbt.type_string() }}) as county_name_2024,
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
    county_code_2024,
    county_name_2024,
    sort_order
from unioned
