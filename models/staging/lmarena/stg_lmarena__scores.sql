with

source as (

    select * from {{ source('lmarena', 'lmarena_scores') }}

),

final as (

    select
        model_key,
        display_name as model_name,
        category,
        style_control as is_style_controlled,
        cast(score as double) as arena_score,
        cast(score_low as double) as arena_score_low,
        cast(score_high as double) as arena_score_high,
        cast(votes as bigint) as votes,
        cast(rank as integer) as leaderboard_rank,
        cast(rank_style_control as integer) as leaderboard_rank_style_control,
        organization,
        license,
        cast(snapshot_date as date) as snapshot_date,
        capture_format,
        ingest_run_id,
        capture_sha256,
        captured_at,
        -- the row's own date where the capture states one (a history row's date); null where it states none
        case when data_date is not null then cast(snapshot_date as date) end as data_date
    from source

)

select * from final
