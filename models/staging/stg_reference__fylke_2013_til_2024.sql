with

source as (
    select * from {{ ref('fylke_2013_til_2024') }}
),

renamed as (
    select
        fylkesnummer_2013 as county_code,
        fylkesnavn_2013 as county_name,
        fylkesnummer_2018 as county_code_2018,
        fylkesnavn_2018 as county_name_2018,
        fylkesnummer_2020 as county_code_2020,
        fylkesnavn_2020 as county_name_2020,
        fylkesnummer_2024 as county_code_2024,
        fylkesnavn_2024 as county_name_2024,
        endring as change_note,
        grensejustering as border_adjustment_note
    from source
)

select * from renamed
