with

source as (

    select * from {{ source('artificial_analysis', 'artificial_analysis_entries') }}

),

final as (

    select
        model_name,
        provider as api_provider,
        creator,
        api_id,
        license,
        cast(context_window_tokens as bigint) as context_window_tokens,
        cast(intelligence_index as double) as intelligence_index,
        cast(mmlu_pro_pct as double) as mmlu_pro_pct,
        cast(gpqa_diamond_pct as double) as gpqa_diamond_pct,
        cast(humanitys_last_exam_pct as double) as humanitys_last_exam_pct,
        cast(livecodebench_pct as double) as livecodebench_pct,
        cast(scicode_pct as double) as scicode_pct,
        cast(ifbench_pct as double) as ifbench_pct,
        cast(aime_2025_pct as double) as aime_2025_pct,
        cast(aa_lcr_pct as double) as aa_lcr_pct,
        cast(aime_2024_pct as double) as aime_2024_pct,
        cast(math_500_pct as double) as math_500_pct,
        cast(humaneval_pct as double) as humaneval_pct,
        cast(chatbot_arena_elo as double) as chatbot_arena_elo,
        cast(blended_price_usd_per_mtok as double) as blended_price_usd_per_mtok,
        cast(input_price_usd_per_mtok as double) as input_price_usd_per_mtok,
        cast(output_price_usd_per_mtok as double) as output_price_usd_per_mtok,
        cast(median_output_tokens_per_s as double) as median_output_tokens_per_s,
        cast(median_first_chunk_s as double) as median_first_chunk_s,
        cast(snapshot_date as date) as snapshot_date,
        ingest_run_id,
        capture_sha256,
        captured_at,
        -- the row's own date where the capture states one (a history row's date); null where it states none
        case when data_date is not null then cast(snapshot_date as date) end as data_date
    from source

)

select * from final
