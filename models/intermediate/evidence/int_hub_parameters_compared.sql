{#- The parameters counted from each Hub repository's newest config.json, beside the Hub's safetensors count for
    the same repository where one is known (the API document, or llmfit's copy): the cross-check the config
    count is held to. Stored elements equal parameters only for unpacked weights (no quantisation, or fp8), and a
    checkpoint may also store multi-token-prediction layers (counted apart as mtp_parameters) or a vision tower.
    One row per repository. -#}
with

configs as (

    select * from {{ ref('stg_huggingface__configs') }}
    where is_latest_for_repo

),

hub_models as (

    select * from {{ ref('stg_huggingface__models') }}

),

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where source_name = 'huggingface' and not is_excluded

),

safetensors as (

    {#- The newest count the Hub gave for each repository whose weights hold one element per parameter. -#}
    select
        repo_id,
        total_parameters as safetensors_parameters,
        active_parameters as subtraction_active_parameters,
        captured_at as safetensors_captured_at
    from hub_models
    where total_parameters > 0 and coalesce(quantization_method, 'fp8') in ('fp8', 'fbgemm_fp8')
    qualify row_number() over (partition by repo_id order by captured_at desc, ingest_run_id desc) = 1

),

final as (

    select
        configs.repo_id,
        names.model_id,
        configs.model_type,
        configs.is_moe,
        configs.total_parameters,
        configs.active_parameters,
        configs.active_parameters_with_embedding,
        configs.mtp_parameters,
        configs.count_method,
        configs.count_error,
        safetensors.safetensors_parameters,
        safetensors.subtraction_active_parameters,
        safetensors.safetensors_parameters / nullif(configs.total_parameters + configs.mtp_parameters, 0)
            as stored_to_counted_ratio,
        abs(
            safetensors.safetensors_parameters / nullif(configs.total_parameters + configs.mtp_parameters, 0) - 1
        ) <= 0.02 as counts_agree,
        configs.captured_at,
        configs.data_date
    from configs
    left join safetensors on configs.repo_id = safetensors.repo_id
    left join names on configs.repo_id = names.raw_name
    qualify row_number() over (partition by configs.repo_id order by names.model_id) = 1

)

select * from final
