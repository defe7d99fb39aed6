-- Every day from 1 January 2000 to 31 December 2049: the semantic layer's time spine
-- (MetricFlow joins it to shift a metric in time or to fill months without data, and
-- requires one at day grain). A fixed range wider than any report, not the loaded
-- months: a spine must have no gaps, and the loaded months may have some.
with

calendar_days as (
    {{ day_spine('2000-01-01', '2050-01-01') }}
)

select cast(date_day as date) as calendar_day
from calendar_days
