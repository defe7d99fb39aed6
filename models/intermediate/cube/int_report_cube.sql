-- One row per coordinate of the cube that the report prints anywhere, with the
-- value of its first printing (a printed number before a suppressed one). The
-- same-figure rule compares every other printing with this one.
{{ config(**by_month('report_month')) }}
with

located as (
    select * from {{ ref('int_report_cells_located') }}
    where {{ in_build_months('report_month') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by
                report_month,
                county_code,
                participant_group_code,
                age_band_code,
                measure_node,
                metric_code
            order by
                case when is_suppressed then 1 else 0 end,
                page_number,
                line_number,
                column_number
        ) as printing_rank,
        count(*) over (
            partition by
                report_month,
                county_code,
                participant_group_code,
                age_band_code,
                measure_node,
                metric_code
        ) as printings
    from located
),

cube as (
    select
        report_month,
        county_code,
        participant_group_code,
        age_band_code,
        measure_node,
        metric_code,
        is_count,
        is_additive,
        is_suppressed,
        cell_value,
        printings,
        table_code as first_table_code,
        page_number as first_page_number,
        line_number as first_line_number,
        column_number as first_column_number
    from ranked
    where printing_rank = 1
)

select * from cube
