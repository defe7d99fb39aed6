-- Cross-month check: last year's count derived from a report (count - change)
-- against the count printed in the report twelve months earlier, for every figure
-- that prints a change, when both reports are loaded.
with

cube as (
    select * from {{ ref('int_report_cube') }}
),

changes as (
    select
        *,
        cast({{ dbt.dateadd('month', -12, 'report_month') }} as date) as earlier_month
    from {{ ref('int_report_changes_pivoted') }}
),

earlier_counts as (
    select
        report_month,
        county_code,
        participant_group_code,
        age_band_code,
        measure_node,
        cell_value as participants,
        is_suppressed
    from cube
    where metric_code = 'participants'
),

earlier_months as (
    select distinct report_month from cube
),

compared as (
    select
        changes.report_month,
        changes.earlier_month,
        changes.county_code,
        changes.participant_group_code,
        changes.age_band_code,
        changes.measure_node,
        changes.participants_last_year,
        -- a figure the earlier report leaves out is zero there
        coalesce(earlier_counts.participants, 0) as earlier_participants,
        changes.has_suppressed_cell or coalesce(earlier_counts.is_suppressed, false)
            as is_not_checkable
    from changes
    inner join earlier_months
        on changes.earlier_month = earlier_months.report_month
    left join earlier_counts
        on
            earlier_months.report_month = earlier_counts.report_month
            and changes.county_code = earlier_counts.county_code
            and changes.participant_group_code = earlier_counts.participant_group_code
            and changes.age_band_code = earlier_counts.age_band_code
            and changes.measure_node = earlier_counts.measure_node
),

with_status as (
    select
        *,
        case
            when is_not_checkable then 'not_checkable'
            when participants_last_year = earlier_participants then 'pass'
            else 'fail'
        end as status
    from compared
)

select * from with_status
