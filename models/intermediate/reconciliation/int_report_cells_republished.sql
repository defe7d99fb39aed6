-- Every printed cell next to the value the published facts give for it: the facts
-- rolled up to the cell's coordinate ("I alt" rows and columns included) and, for
-- the percent columns, NAV's formula applied to the rolled-up count and change.
-- A cell the facts do not reproduce exactly fails: the star schema neither loses
-- nor invents a number. The facts are read where the marts read them (each fact
-- mart selects its intermediate model column for column under its contract).
{{ config(**by_month('report_month')) }}
{%- set geographies = [
    {'county_code': 'county_code', 'participant_group_code': 'participant_group_code'},
    {'county_code': 'county_code'},
    {'participant_group_code': 'participant_group_code'},
    {},
] -%}
{%- set measure_levels = [
    {'measure_node': 'measure_code'},
    {'measure_node': 'measure_group_code'},
    {},
] -%}
{%- set measure_sets, age_sets = [], [] -%}
{%- for geography in geographies -%}
    {%- for level in measure_levels -%}
        {%- do measure_sets.append(dict(geography, **level)) -%}
    {%- endfor -%}
    {%- do age_sets.append(dict(geography, age_band_code='age_band_code')) -%}
{%- endfor -%}
{%- set counted = [
    ['rebuilt_value', 'sum(participants)'],
    ['suppressed_parts', 'sum(case when participants is null then 1 else 0 end)'],
] %}

with

measures as (
    select
        member_code as measure_code,
        parent_code as measure_group_code
    from {{ ref('int_dimension_members') }}
    where member_role = 'measure'
),

measure_facts as (
    select
        facts.report_month as month,
        facts.county_code,
        facts.participant_group_code,
        measures.measure_group_code,
        facts.measure_code,
        facts.participants
    from {{ ref('int_participants_by_measure') }} as facts
    inner join measures
        on facts.measure_code = measures.measure_code
    where {{ in_build_months('facts.report_month') }}
),

age_facts as (
    select
        report_month as month,
        county_code,
        participant_group_code,
        age_band_code,
        participants
    from {{ ref('int_participants_by_age') }}
    where {{ in_build_months('report_month') }}
),

change_facts as (
    select
        report_month as month,
        county_code,
        participant_group_code,
        participants,
        change_from_last_year
    from {{ ref('int_participants_change') }}
    where {{ in_build_months('report_month') }}
),

measure_rollup as (
    {{ rolled_up(
        'measure_facts',
        ['county_code', 'participant_group_code', 'measure_node'],
        measure_sets,
        counted
    ) }}
),

age_rollup as (
    {{ rolled_up(
        'age_facts',
        ['county_code', 'participant_group_code', 'age_band_code'],
        age_sets,
        counted
    ) }}
),

change_rollup as (
    {{ rolled_up(
        'change_facts',
        ['county_code', 'participant_group_code'],
        geographies,
        [
            ['participants', 'sum(participants)'],
            ['change_from_last_year', 'sum(change_from_last_year)'],
            ['suppressed_parts', 'sum(case when participants is null then 1 else 0 end)'],
        ]
    ) }}
),

change_rebuilt as (
    select
        month,
        county_code,
        participant_group_code,
        'total' as age_band_code,
        'total' as measure_node,
        'change' as metric_code,
        change_from_last_year as rebuilt_value,
        suppressed_parts
    from change_rollup
    union all
    select
        month,
        county_code,
        participant_group_code,
        'total' as age_band_code,
        'total' as measure_node,
        'change_pct' as metric_code,
        {{ percent_change('change_from_last_year', 'participants - change_from_last_year') }}
            as rebuilt_value,
        suppressed_parts
    from change_rollup
),

rebuilt as (
    select
        month,
        county_code,
        participant_group_code,
        'total' as age_band_code,
        measure_node,
        'participants' as metric_code,
        rebuilt_value,
        suppressed_parts
    from measure_rollup
    union all
    select
        month,
        county_code,
        participant_group_code,
        age_band_code,
        'total' as measure_node,
        'participants' as metric_code,
        rebuilt_value,
        suppressed_parts
    from age_rollup
    union all
    select * from change_rebuilt
),

printed as (
    select * from {{ ref('int_report_cells_located') }}
    where {{ in_build_months('report_month') }}
),

compared as (
    select
        printed.report_month,
        'marts_republish_report' as rule_id,
        printed.table_code,
        printed.page_number,
        printed.line_number,
        printed.column_number,
        printed.row_label_printed,
        printed.column_label_printed,
        printed.cell_value as printed_value,
        rebuilt.rebuilt_value,
        case
            when printed.is_suppressed or coalesce(rebuilt.suppressed_parts, 0) > 0
                then 'not_checkable'
            when
                printed.cell_value = rebuilt.rebuilt_value
                or (printed.cell_value is null and rebuilt.rebuilt_value is null)
                then 'pass'
            else 'fail'
        end as status
    from printed
    left join rebuilt
        on
            printed.report_month = rebuilt.month
            and printed.county_code = rebuilt.county_code
            and printed.participant_group_code = rebuilt.participant_group_code
            and printed.age_band_code = rebuilt.age_band_code
            and printed.measure_node = rebuilt.measure_node
            and printed.metric_code = rebuilt.metric_code
)

select * from compared
