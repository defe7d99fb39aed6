with

source as (
    select * from {{ ref('metrics') }}
),

renamed as (
    select
        metric_code,
        metric_name,
        is_additive,
        blank_means_zero,
        description as metric_description
    from source
)

select * from renamed
