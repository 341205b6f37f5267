with

source as (

    select * from {{ source('openlm', 'openlm_scores') }}

),

final as (

    select
        cast(position as integer) as leaderboard_position,
        model_name,
        cast(arena_elo as double) as arena_elo,
        cast(coding as double) as coding_elo,
        cast(vision as double) as vision_elo,
        cast(arena_hard as double) as arena_hard_score,
        cast(aai_index as double) as aa_intelligence_index,
        cast(mmlu as double) as mmlu_score,
        cast(mmlu_pro as double) as mmlu_pro_score,
        cast(votes as bigint) as votes,
        organization,
        license,
        model_url,
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
