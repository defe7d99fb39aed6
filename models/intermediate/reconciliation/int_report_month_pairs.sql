-- Every loaded month whose report twelve months earlier is loaded too, with how the
-- two are compared: county by county when both print the same county division,
-- region by region across a reform.
{{ config(**by_month('report_month')) }}
with

cube as (
    select * from {{ ref('int_report_cube') }}
),

divisions as (
    select * from {{ ref('stg_reference__county_divisions') }}
),

month_divisions as (
    select distinct
        cube.report_month,
        divisions.division_code
    from cube
    inner join divisions
        on
            cube.report_month >= divisions.valid_from
            and (divisions.valid_to is null or cube.report_month <= divisions.valid_to)
),

month_pairs as (
    select
        later.report_month,
        earlier.report_month as earlier_month,
        later.division_code,
        earlier.division_code as earlier_division_code,
        case
            when later.division_code = earlier.division_code then 'county' else 'region'
        end as comparison_level
    from month_divisions as later
    inner join month_divisions as earlier
        on
            cast({{ dbt.dateadd('month', -12, 'later.report_month') }} as date)
            = earlier.report_month
    -- A monthly update builds the later month of each pair it touches; the earlier
    -- one is read from every month.
    where {{ in_build_months('later.report_month') }}
)

select * from month_pairs
