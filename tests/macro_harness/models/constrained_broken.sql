-- The broken scenario of the fixture, for contract_constraints_hold.
select * exclude (scenario) from {{ ref('fixture_constrained_rows') }} where scenario = 'broken'
