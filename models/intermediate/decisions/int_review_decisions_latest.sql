{#- Reviewers' decisions, one row per model_id. The seed holds one decision per model
    (review/seedfile.py refuses a duplicate before any build); should a hand edit ever add a
    second, the latest is the one applied. -#}
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
