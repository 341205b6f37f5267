{#- What the identity step dropped and why, so the build can report it. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}

),

final as (

    select
        model_id as normalized_name,
        exclusion_reason,
        list(distinct source_name order by source_name) as sources,
        list(distinct raw_name order by raw_name) as raw_names,
        count(*) as n_names
    from names
    where is_excluded
    group by model_id, exclusion_reason

)

select * from final
