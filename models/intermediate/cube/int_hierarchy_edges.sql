-- The hierarchies every "parent = sum of children" check walks, declared once as
-- data (parent, child) from the reference seeds. The root of each is 'total', the
-- report's "I alt". Measures have two levels: total -> measure group -> measure.
with

members as (
    select * from {{ ref('int_dimension_members') }}
),

edges as (
    select
        member_role as hierarchy,
        'total' as parent_code,
        member_code as child_code
    from members
    where member_role in ('county', 'participant_group', 'age_band')
    union all
    select
        'measure' as hierarchy,
        'total' as parent_code,
        member_code as child_code
    from members
    where member_role = 'measure_group'
    union all
    select
        'measure' as hierarchy,
        parent_code,
        member_code as child_code
    from members
    where member_role = 'measure'
)

select * from edges
