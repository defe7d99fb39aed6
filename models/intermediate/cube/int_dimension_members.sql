-- Every member of every dimension, keyed by role and canonical name, so printed
-- labels (once canonical) resolve to codes in one join. Measures carry their group:
-- a measure is known by (group, name). Counties carry the days their number was in
-- force: a name can come back with a new number (Akershus 02, then 32), so a printed
-- county resolves to the member in force in the report's month.
{#- each dimension's members: role, relation, code, name, parent, and whether the
    member holds the days it was in force -#}
{%- set member_sources = [
    {'role': 'county', 'relation': 'counties', 'code': 'county_code',
        'name': 'county_name', 'in_force': true},
    {'role': 'county', 'relation': 'non_county_areas', 'code': 'area_code',
        'name': 'area_name'},
    {'role': 'participant_group', 'relation': 'participant_groups',
        'code': 'participant_group_code', 'name': 'participant_group_name'},
    {'role': 'age_band', 'relation': 'age_bands', 'code': 'age_band_code',
        'name': 'age_band_name'},
    {'role': 'measure_group', 'relation': 'measure_groups', 'code': 'measure_group_code',
        'name': 'measure_group_name'},
    {'role': 'measure', 'relation': 'measures', 'code': 'measure_code',
        'name': 'measure_name', 'parent': 'measure_group_code'},
] %}
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
    {% for member in member_sources %}
        select
            '{{ member.role }}' as member_role,
            {{ member.code }} as member_code,
            {{ member.name }} as member_name,
            cast({{ member.parent or 'null' }} as {{ engine_type('varchar') }}) as parent_code,
            {{ 'valid_from' if member.in_force else 'cast(null as date)' }} as valid_from,
            {{ 'valid_to' if member.in_force else 'cast(null as date)' }} as valid_to
        from {{ member.relation }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from members
