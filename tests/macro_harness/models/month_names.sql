select
    month_number,
    published_name,
    {{ norwegian_month_name('month_number') }} as month_name
from {{ ref('fixture_month_numbers') }}
