{#- Leaderboard scores per model and snapshot, from every leaderboard, in one shape.
    Variants that share a model_id (gpt-4-0314, gpt-4-0613) keep the best score in a snapshot.
    One row per model_id, leaderboard and snapshot. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where not is_excluded

),

lmarena as (

    select
        names.model_id,
        case when scores.is_style_controlled then 'lmarena_text_style_control' else 'lmarena_text' end as leaderboard,
        scores.capture_format || ':' || cast(scores.snapshot_date as varchar) || ':' || cast(scores.ingest_run_id as varchar)
            as snapshot_id,
        scores.snapshot_date,
        scores.arena_score as score,
        scores.arena_score_low as score_low,
        scores.arena_score_high as score_high,
        scores.votes,
        'https://lmarena.ai/leaderboard (' || scores.capture_format || ' captured ' || cast(cast(scores.captured_at as date) as varchar) || ')'
            as source
    from {{ ref('stg_lmarena__scores') }} as scores
    inner join names on names.source_name = 'lmarena' and names.raw_name = scores.model_name
    where scores.category = 'text'
        and {{ evidence_before_as_of('scores.snapshot_date') }}

),

final as (

    select
        model_id,
        leaderboard,
        snapshot_id,
        snapshot_date,
        max(score) as score,
        arg_max(score_low, score) as score_low,
        arg_max(score_high, score) as score_high,
        arg_max(votes, score) as votes,
        arg_max(source, score) as source
    from lmarena
    group by model_id, leaderboard, snapshot_id, snapshot_date

)

select * from final
