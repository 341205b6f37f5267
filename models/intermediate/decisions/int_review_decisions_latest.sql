{#- Reviewers' decisions, the latest per model (a later decision on the same model
    supersedes an earlier one; the seed keeps both). One row per model_id. -#}
with

decisions as (

    select * from {{ ref('review_decisions') }}

),

final as (

    select
        model_id,
        lower(trim(decision)) as decision,
        reason,
        reviewer,
        decided_at,
        shown_training_flop,
        shown_flop_low,
        shown_flop_high,
        shown_classification
    from decisions
    qualify row_number() over (partition by model_id order by decided_at desc) = 1

)

select * from final
