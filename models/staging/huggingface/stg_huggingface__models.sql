with

source as (

    select * from {{ source('huggingface', 'huggingface_models') }}

),

final as (

    select
        repo_id,
        author as repo_owner,
        cast(total_parameters as bigint) as total_parameters,
        parameters_by_dtype,
        main_dtype,
        architecture,
        model_type,
        is_moe,
        cast(num_experts as integer) as num_experts,
        cast(num_experts_per_token as integer) as num_experts_per_token,
        cast(num_shared_experts as integer) as num_shared_experts,
        cast(expert_intermediate_size as bigint) as expert_intermediate_size,
        cast(hidden_size as bigint) as hidden_size,
        cast(num_hidden_layers as integer) as num_hidden_layers,
        cast(num_moe_layers as integer) as num_moe_layers,
        cast(active_parameters as bigint) as active_parameters,
        active_parameters_method,
        cast(reported_active_parameters as bigint) as reported_active_parameters,
        cast(context_length as bigint) as context_length,
        quantization_method,
        pipeline_tag,
        library_name,
        license,
        base_models,
        cast(downloads as bigint) as downloads,
        cast(likes as bigint) as likes,
        cast(created_at as timestamp) as created_at,
        cast(last_modified as timestamp) as last_modified,
        cast(release_date as date) as release_date,
        revision_sha,
        capture_format,
        ingest_run_id,
        capture_sha256,
        captured_at,
        coalesce(cast(last_modified as date), data_date) as data_date
    from source

)

select * from final
