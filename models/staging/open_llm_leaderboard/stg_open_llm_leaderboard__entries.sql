with

source as (

    select * from {{ source('open_llm_leaderboard', 'open_llm_leaderboard_entries') }}

),

final as (

    select
        eval_name,
        model_name as repo_id,
        model_sha as revision_sha,
        precision,
        model_kind,
        weight_type,
        architecture,
        cast(parameters as bigint) as parameters,
        is_moe,
        is_merged,
        is_flagged,
        available_on_hub as is_available_on_hub,
        is_official_provider,
        base_model as base_model_repo_id,
        hub_license,
        cast(hub_likes as bigint) as hub_likes,
        cast(average_score as double) as average_score,
        cast(ifeval as double) as ifeval_score,
        cast(bbh as double) as bbh_score,
        cast(math_lvl5 as double) as math_lvl5_score,
        cast(gpqa as double) as gpqa_score,
        cast(musr as double) as musr_score,
        cast(mmlu_pro as double) as mmlu_pro_score,
        cast(co2_cost_kg as double) as co2_cost_kg,
        cast(upload_date as date) as upload_date,
        cast(submission_date as date) as submission_date,
        ingest_run_id,
        capture_sha256,
        captured_at,
        data_date
    from source

)

select * from final
