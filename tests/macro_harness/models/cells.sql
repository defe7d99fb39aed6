-- The cells the children_sum_to_total applications test, one scenario per `where`.
select * from {{ ref('fixture_cells') }}
