-- Every month loaded x county in force that month x participant group: the grid the
-- three facts complete with zeros (the report leaves zero rows out or blank). The
-- counties are those of the division in force in the month, with the two areas
-- that are not counties.
{{ config(**by_month('report_month')) }}
with

months as (
    select distinct report_month from {{ ref('int_report_cube') }}
    where {{ in_build_months('report_month') }}
),

members as (
    select * from {{ ref('int_dimension_members') }}
),

grid as (
    select
        months.report_month,
        counties.member_code as county_code,
        participant_groups.member_code as participant_group_code
    from months
    inner join members as counties
        on
            counties.member_role = 'county'
            and {{ member_in_force('counties', 'months.report_month') }}
    cross join members as participant_groups
    where participant_groups.member_role = 'participant_group'
)

select * from grid
