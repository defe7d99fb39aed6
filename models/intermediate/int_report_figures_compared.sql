-- Every printing of a figure after its first, next to the first: a figure printed
-- in several tables (the same month, county, group, age band, measure and column)
-- must be the same number everywhere.
with

located as (
    select * from {{ ref('int_report_cells_located') }}
),

cube as (
    select * from {{ ref('int_report_cube') }}
),

compared as (
    select
        located.report_month,
        located.table_code,
        located.page_number,
        located.line_number,
        located.column_number,
        located.county_code,
        located.participant_group_code,
        located.age_band_code,
        located.measure_node,
        located.metric_code,
        cube.first_table_code,
        cube.first_line_number,
        cube.cell_value as expected,
        located.cell_value as observed,
        case
            when located.is_suppressed or cube.is_suppressed then 'not_checkable'
            when
                located.cell_value = cube.cell_value
                or (located.cell_value is null and cube.cell_value is null)
                then 'pass'
            else 'fail'
        end as status
    from located
    inner join cube
        on
            located.report_month = cube.report_month
            and located.county_code = cube.county_code
            and located.participant_group_code = cube.participant_group_code
            and located.age_band_code = cube.age_band_code
            and located.measure_node = cube.measure_node
            and located.metric_code = cube.metric_code
    where
        not (
            located.table_code = cube.first_table_code
            and located.line_number = cube.first_line_number
        )
)

select * from compared
