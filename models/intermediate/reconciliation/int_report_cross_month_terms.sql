-- The identities of the cross-month rule (last_year_matches_earlier_report), as data.
-- An identity is a figure of a compared area (a county, or across a county reform the
-- region it lies in) in a month whose report of twelve months earlier is loaded. Its
-- terms: for every county of the area whose figure the later report prints a change
-- for, that count (term_role participants, coefficient +1) and change (change, -1);
-- for every county of the area the earlier report prints, its count
-- (earlier_participants, -1); each at its first printing. cell_month is the month of
-- the report the cell is printed in. Written here only: int_report_months_compared
-- checks these terms, the locator reads them through int_report_identity_terms. A
-- view: each reader computes the months it reads.
{{ config(materialized='view') }}
{%- set coordinates = reconciliation_coordinates() %}
{%- set figure_columns = ['participant_group_code', 'age_band_code', 'measure_node'] %}

with

cube as (
    select * from {{ ref('int_report_cube') }}
),

-- the figures a report prints a change for, county by county
changes as (
    select * from {{ ref('int_report_changes_pivoted') }}
),

month_pairs as (
    select * from {{ ref('int_report_month_pairs') }}
),

regions as (
    select * from {{ ref('int_county_regions') }}
),

later_terms as (
    select
        month_pairs.report_month,
        month_pairs.earlier_month,
        month_pairs.comparison_level,
        case
            when month_pairs.comparison_level = 'county' then changes.county_code
            else regions.region_code
        end as area_code,
        {% for column in figure_columns -%}
            changes.{{ column }},
        {% endfor -%}
        counts_and_changes.report_month as cell_month,
        counts_and_changes.county_code,
        counts_and_changes.metric_code as term_role,
        case when counts_and_changes.metric_code = 'participants' then 1 else -1 end
            as coefficient,
        counts_and_changes.cell_value,
        counts_and_changes.is_suppressed,
        counts_and_changes.first_table_code as table_code,
        counts_and_changes.first_line_number as line_number,
        counts_and_changes.first_column_number as column_number
    from changes
    inner join month_pairs
        on changes.report_month = month_pairs.report_month
    inner join regions
        on changes.county_code = regions.county_code
    inner join cube as counts_and_changes
        on
            changes.report_month = counts_and_changes.report_month
            and counts_and_changes.metric_code in ('participants', 'change')
            {% for column in coordinates.values() -%}
                and changes.{{ column }} = counts_and_changes.{{ column }}
            {% endfor %}
),

earlier_terms as (
    select
        month_pairs.report_month,
        month_pairs.earlier_month,
        month_pairs.comparison_level,
        case
            when month_pairs.comparison_level = 'county' then counts.county_code
            else regions.region_code
        end as area_code,
        {% for column in figure_columns -%}
            counts.{{ column }},
        {% endfor -%}
        counts.report_month as cell_month,
        counts.county_code,
        'earlier_participants' as term_role,
        -1 as coefficient,
        counts.cell_value,
        counts.is_suppressed,
        counts.first_table_code as table_code,
        counts.first_line_number as line_number,
        counts.first_column_number as column_number
    from cube as counts
    inner join month_pairs
        on counts.report_month = month_pairs.earlier_month
    inner join regions
        on counts.county_code = regions.county_code
    where counts.metric_code = 'participants'
),

terms as (
    select * from later_terms
    union all
    select * from earlier_terms
)

select * from terms
