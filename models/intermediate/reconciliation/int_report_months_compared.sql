-- Rule last_year_matches_earlier_report: last year's count derived from a report
-- (count - change) against the count printed in the report twelve months earlier,
-- for every figure that prints a change, when both reports are loaded.
--
-- Both reports print the counties of their own month's division. Where that is the
-- same division, the figures are compared county by county; across a reform, region
-- by region (the county of the 2020 division each county lies in), both sides summed.
-- NAV restates last year in the new division from its own records, so where a
-- municipality crossed the compared area's border between the two months, the
-- difference is real and kept, with status not_checkable: such a pair is neither
-- failed because of the reform nor passed without a comparison. The rule's cells
-- and coefficients are int_report_cross_month_terms'; this model sums them.
{{ config(**by_month('report_month')) }}
{%- set text = engine_type('varchar') %}
{%- set identity_columns = [
    'report_month', 'earlier_month', 'comparison_level', 'area_code',
    'participant_group_code', 'age_band_code', 'measure_node',
] %}

with

-- the rule's identities, written once (int_report_cross_month_terms)
terms as (
    select * from {{ ref('int_report_cross_month_terms') }}
    where {{ in_build_months('report_month') }}
),

month_pairs as (
    select * from {{ ref('int_report_month_pairs') }}
    where {{ in_build_months('report_month') }}
),

area_border_moves as (
    select * from {{ ref('int_area_border_moves') }}
),

-- last year's count of each county's figure as the later report implies it: its terms
-- summed, none when its count or change is not printed (the figure drops out)
later_county_figures as (
    select
        {% for column in identity_columns -%}
            {{ column }},
        {% endfor -%}
        county_code,
        case when count(cell_value) = 2 then sum(coefficient * cell_value) end
            as participants_last_year,
        max(case when is_suppressed then 1 else 0 end) = 1 as has_suppressed_cell
    from terms
    where term_role != 'earlier_participants'
    group by
        {% for column in identity_columns -%}
            {{ column }},
        {% endfor -%}
        county_code
),

later_figures as (
    select
        {% for column in identity_columns -%}
            {{ column }},
        {% endfor -%}
        sum(participants_last_year) as participants_last_year,
        max(case when has_suppressed_cell then 1 else 0 end) = 1 as has_suppressed_cell
    from later_county_figures
    group by
        {% for column in identity_columns -%}
            {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
),

-- the earlier report's count of each figure: its terms summed, a suppressed cell as 0
earlier_figures as (
    select
        {% for column in identity_columns -%}
            {{ column }},
        {% endfor -%}
        sum(case when is_suppressed then 0 else -coefficient * cell_value end) as participants,
        max(case when is_suppressed then 1 else 0 end) = 1 as has_suppressed_cell
    from terms
    where term_role = 'earlier_participants'
    group by
        {% for column in identity_columns -%}
            {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
),

-- the compared areas whose border moved between the two months of a pair
moved_borders as (
    select distinct
        month_pairs.report_month,
        month_pairs.comparison_level,
        moved_areas.area_code
    from month_pairs
    inner join area_border_moves as moved_areas
        on
            month_pairs.comparison_level = moved_areas.comparison_level
            and month_pairs.earlier_month < moved_areas.moved_on
            and month_pairs.report_month >= moved_areas.moved_on
),

compared as (
    select
        later_figures.report_month,
        later_figures.earlier_month,
        later_figures.comparison_level,
        later_figures.area_code,
        later_figures.participant_group_code,
        later_figures.age_band_code,
        later_figures.measure_node,
        later_figures.participants_last_year,
        -- a figure the earlier report leaves out is zero there
        coalesce(earlier_figures.participants, 0) as earlier_participants,
        moved_borders.area_code is not null as is_border_moved,
        later_figures.has_suppressed_cell
        or coalesce(earlier_figures.has_suppressed_cell, false) as has_suppressed_cell
    from later_figures
    left join earlier_figures
        on
            later_figures.report_month = earlier_figures.report_month
            {% for column in identity_columns[1:] -%}
                and later_figures.{{ column }} = earlier_figures.{{ column }}
            {% endfor %}
    left join moved_borders
        on
            later_figures.report_month = moved_borders.report_month
            and later_figures.comparison_level = moved_borders.comparison_level
            and later_figures.area_code = moved_borders.area_code
),

checks as (
    select
        report_month,
        'last_year_matches_earlier_report' as rule_id,
        {{ dbt.concat([
            "'participants of '", "cast(earlier_month as " ~ text ~ ")",
            "'; '", "comparison_level", "'_code='", "area_code",
        ] + ledger_scope_parts(['participant_group_code', 'age_band_code', 'measure_node'])) }}
            as scope,
        earlier_month,
        comparison_level,
        area_code,
        participant_group_code,
        age_band_code,
        measure_node,
        is_border_moved,
        earlier_participants as expected,
        participants_last_year as observed,
        participants_last_year - earlier_participants as difference,
        case
            when has_suppressed_cell or is_border_moved then 'not_checkable'
            when participants_last_year = earlier_participants then 'pass'
            else 'fail'
        end as status
    from compared
)

select * from checks
