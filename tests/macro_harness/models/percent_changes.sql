-- percent_change applied the way the root project applies it: last year's count is an
-- expression (count - change), which the macro must parenthesise.
select
    participants,
    change_from_last_year,
    published_pct,
    {{ percent_change('change_from_last_year', 'participants - change_from_last_year') }}
        as change_pct
from {{ ref('fixture_percent_cases') }}
