-- The three facts are separate grains, but the analysts' guide promises that they
-- add up to the same month x county x participant-group totals. Returns every
-- combination where the measure fact, the age fact and the change fact disagree.
-- Suppressed cells (null) are left out of the sums and flagged, never compared.
with

by_measure as (
    select
        month,
        county_code,
        participant_group_code,
        sum(participants) as participants,
        sum(case when participants is null then 1 else 0 end) as suppressed_cells
    from {{ ref('fct_participants_by_measure') }}
    group by month, county_code, participant_group_code
),

by_age as (
    select
        month,
        county_code,
        participant_group_code,
        sum(participants) as participants,
        sum(case when participants is null then 1 else 0 end) as suppressed_cells
    from {{ ref('fct_participants_by_age') }}
    group by month, county_code, participant_group_code
),

by_change as (
    select
        month,
        county_code,
        participant_group_code,
        participants
    from {{ ref('fct_participants_change') }}
),

compared as (
    select
        by_change.month,
        by_change.county_code,
        by_change.participant_group_code,
        by_change.participants as change_participants,
        by_measure.participants as measure_participants,
        by_age.participants as age_participants,
        coalesce(by_measure.suppressed_cells, 0)
        + coalesce(by_age.suppressed_cells, 0) as suppressed_cells
    from by_change
    left join by_measure
        on
            by_change.month = by_measure.month
            and by_change.county_code = by_measure.county_code
            and by_change.participant_group_code = by_measure.participant_group_code
    left join by_age
        on
            by_change.month = by_age.month
            and by_change.county_code = by_age.county_code
            and by_change.participant_group_code = by_age.participant_group_code
)

select *
from compared
where
    suppressed_cells = 0
    and change_participants is not null
    and (
        coalesce(measure_participants, 0) != change_participants
        or coalesce(age_participants, 0) != change_participants
    )
