-- Every member of every dimension, keyed by role and canonical name, so printed
-- labels (once canonical) resolve to codes in one join. Measures carry their group:
-- a measure is known by (group, name). Counties carry the days their number was in
-- force: a name can come back with a new number (Akershus 02, then 32), so a printed
-- county resolves to the member in force in the report's month.
with

counties as (
    select * from {{ ref('stg_reference__counties') }}
),

non_county_areas as (
    select * from {{ ref('stg_reference__non_county_areas') }}
),

participant_groups as (
    select * from {{ ref('stg_reference__participant_groups') }}
),

age_bands as (
    select * from {{ ref('stg_reference__age_bands') }}
),

measure_groups as (
    select * from {{ ref('stg_reference__measure_groups') }}
),

measures as (
    select * from {{ ref('stg_reference__measures') }}
),

members as (
    select
        'county' as member_role,
        county_code as member_code,
        county_name as member_name,
        cast(null as {{ engine_type('varchar') }}) as parent_code,
        valid_from,
        valid_to
    from counties
    union all
    select
        'county' as member_role,
        area_code as member_code,
        area_name as member_name,
        null as parent_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to
    from non_county_areas
    union all
    select
        'participant_group' as member_role,
        participant_group_code as member_code,
        participant_group_name as member_name,
        null as parent_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to
    from participant_groups
    union all
    select
        'age_band' as member_role,
        age_band_code as member_code,
        age_band_name as member_name,
        null as parent_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to
    from age_bands
    union all
    select
        'measure_group' as member_role,
        measure_group_code as member_code,
        measure_group_name as member_name,
        null as parent_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to
    from measure_groups
    union all
    select
        'measure' as member_role,
        measure_code as member_code,
        measure_name as member_name,
        measure_group_code as parent_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to
    from measures
)

select * from members
