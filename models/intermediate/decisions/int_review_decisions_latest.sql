{#- Reviewers' decisions, one row per model_id. The seed holds one decision per model
    (review/seedfile.py refuses a duplicate before any build); should a hand edit ever add a
    second, the latest is the one applied. The model_id is trimmed as the seed check reads it,
    so a stray space in a hand edit does not make a decision name no model. -#}
with

decisions as (

    select * from {{ ref('review_decisions') }}

),

final as (

    select
        trim(model_id) as model_id,
        lower(trim(decision)) as decision,
        reason,
        reviewer,
        decided_at,
        shown_training_flop,
        shown_flop_low,
        shown_flop_high,
        shown_classification
    from decisions
    qualify row_number() over (partition by trim(model_id) order by decided_at desc) = 1

)

select * from final
