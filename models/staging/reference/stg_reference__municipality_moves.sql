with

source as (
    select * from {{ ref('municipality_moves') }}
),

renamed as (
    select
        municipality_code,
        municipality_name,
        cast(moved_on as date) as moved_on,
        from_county_code,
        to_county_code,
        note as move_note
    from source
)

select * from renamed
