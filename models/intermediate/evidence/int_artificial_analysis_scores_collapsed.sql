-- One row per Artificial Analysis model per capture: benchmark results are the model's, so the
-- providers' rows are collapsed with the median (robust to one provider's stale or odd value).

with

entries as (

    select * from {{ ref('stg_artificial_analysis__entries') }}

),

collapsed as (

    select
        ingest_run_id,
        model_name,
        max(snapshot_date) as snapshot_date,
        min(creator) as creator,
        mode(license) as license,
        count(*) as provider_count,
        count(intelligence_index) as providers_with_index,
        median(intelligence_index) as intelligence_index,
        min(intelligence_index) as intelligence_index_min,
        max(intelligence_index) as intelligence_index_max,
        median(mmlu_pro_pct) as mmlu_pro_pct,
        median(gpqa_diamond_pct) as gpqa_diamond_pct,
        median(humanitys_last_exam_pct) as humanitys_last_exam_pct,
        median(livecodebench_pct) as livecodebench_pct,
        median(scicode_pct) as scicode_pct,
        median(ifbench_pct) as ifbench_pct,
        median(aime_2025_pct) as aime_2025_pct,
        median(aa_lcr_pct) as aa_lcr_pct,
        median(aime_2024_pct) as aime_2024_pct,
        median(math_500_pct) as math_500_pct,
        median(humaneval_pct) as humaneval_pct,
        median(chatbot_arena_elo) as chatbot_arena_elo,
        median(blended_price_usd_per_mtok) as blended_price_usd_per_mtok_median,
        min(blended_price_usd_per_mtok) as blended_price_usd_per_mtok_min,
        max(context_window_tokens) as context_window_tokens_max
    from entries
    group by ingest_run_id, model_name

),

final as (

    select
        model_name,
        snapshot_date,
        creator,
        license,
        provider_count,
        providers_with_index,
        intelligence_index,
        intelligence_index_min,
        intelligence_index_max,
        mmlu_pro_pct,
        gpqa_diamond_pct,
        humanitys_last_exam_pct,
        livecodebench_pct,
        scicode_pct,
        ifbench_pct,
        aime_2025_pct,
        aa_lcr_pct,
        aime_2024_pct,
        math_500_pct,
        humaneval_pct,
        chatbot_arena_elo,
        blended_price_usd_per_mtok_median,
        blended_price_usd_per_mtok_min,
        context_window_tokens_max,
        ingest_run_id
    from collapsed

)

select * from final
