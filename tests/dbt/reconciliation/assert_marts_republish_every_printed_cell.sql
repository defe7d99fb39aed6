-- Rebuilds every printed cell of every table from the marts, "I alt" rows and
-- columns included, and returns each cell the marts do not reproduce exactly:
-- proof that the star schema neither loses nor invents a number.
{{ config(severity='error') }}

select *
from ({{ republished_cells() }}) as republished
where status = 'fail'
