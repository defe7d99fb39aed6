with

source as (
    select * from {{ ref('fylke_2013') }}
),

renamed as (
    select
        fylkesnummer as county_code,
        fylkesnavn as county_name,
        gyldig_fra as valid_from,
        gyldig_til as valid_to,
        merknad as county_note
    from source
)

select * from renamed
