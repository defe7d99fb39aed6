-- Every printed cell of every report table and month in one relation: the nine
-- staging views have the same columns, so a union is all it takes.
{{ config(materialized='view') }}

with

hovedgrupper as (
    select * from {{ ref('stg_report__hovedgrupper') }}
),

fylke as (
    select * from {{ ref('stg_report__fylke') }}
),

fylke_og_hovedgruppe as (
    select * from {{ ref('stg_report__fylke_og_hovedgruppe') }}
),

fylke_og_alder as (
    select * from {{ ref('stg_report__fylke_og_alder') }}
),

fylke_alder_og_hovedgrupper as (
    select * from {{ ref('stg_report__fylke_alder_og_hovedgrupper') }}
),

fylke_og_tiltak as (
    select * from {{ ref('stg_report__fylke_og_tiltak') }}
),

fylke_tiltak_og_hovedgrupper as (
    select * from {{ ref('stg_report__fylke_tiltak_og_hovedgrupper') }}
),

tiltak_og_hovedgrupper as (
    select * from {{ ref('stg_report__tiltak_og_hovedgrupper') }}
),

tiltak_hovedgrupper_og_fylke as (
    select * from {{ ref('stg_report__tiltak_hovedgrupper_og_fylke') }}
),

unioned as (
    select * from hovedgrupper
    union all
    select * from fylke
    union all
    select * from fylke_og_hovedgruppe
    union all
    select * from fylke_og_alder
    union all
    select * from fylke_alder_og_hovedgrupper
    union all
    select * from fylke_og_tiltak
    union all
    select * from fylke_tiltak_og_hovedgrupper
    union all
    select * from tiltak_og_hovedgrupper
    union all
    select * from tiltak_hovedgrupper_og_fylke
)

select * from unioned
