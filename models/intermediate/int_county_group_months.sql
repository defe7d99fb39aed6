-- Every month loaded x county x participant group: the grid the three facts
-- complete with zeros (the report leaves zero rows out or blank).
with

months as (
    select distinct report_month from {{ ref('int_report_cube') }}
),

members as (
    select * from {{ ref('int_dimension_members') }}
)

select
    months.report_month,
    counties.member_code as county_code,
    participant_groups.member_code as participant_group_code
from months
cross join members as counties
cross join members as participant_groups
where
    counties.member_role = 'county'
    and participant_groups.member_role = 'participant_group'
