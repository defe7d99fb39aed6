-- Rule marts_republish_report, one row per month and table: how many of the
-- table's printed cells the published facts rebuild exactly
-- (int_report_cells_republished has the cells).
{{ config(**by_month('report_month')) }}
with

republished as (
    select * from {{ ref('int_report_cells_republished') }}
    where {{ in_build_months('report_month') }}
),

tables_republished as (
    select
        report_month,
        rule_id,
        table_code,
        count(*) as expected,
        sum(case when status = 'fail' then 0 else 1 end) as observed,
        sum(case when status = 'fail' then 1 else 0 end) as failed_cells,
        sum(case when status = 'not_checkable' then 1 else 0 end) as not_checkable_cells
    from republished
    group by report_month, rule_id, table_code
),

checks as (
    select
        report_month,
        rule_id,
        {{ dbt.concat(["table_code", "': printed cells rebuilt exactly from the marts'"]) }}
            as scope,
        table_code,
        expected,
        observed,
        observed - expected as difference,
        case
            when failed_cells > 0 then 'fail'
            when not_checkable_cells > 0 then 'not_checkable'
            else 'pass'
        end as status
    from tables_republished
)

select * from checks
