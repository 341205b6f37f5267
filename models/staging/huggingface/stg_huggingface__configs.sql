with

source as (

    select * from {{ source('huggingface', 'huggingface_configs') }}

),

final as (

    select
        repo_id,
        split_part(repo_id, '/', 1) as repo_owner,
        revision,
        model_type,
        architecture,
        is_moe,
        cast(total_parameters as bigint) as total_parameters,
        cast(active_parameters as bigint) as active_parameters,
        cast(active_parameters_with_embedding as bigint) as active_parameters_with_embedding,
        cast(active_parameters_low as bigint) as active_parameters_low,
        cast(active_parameters_high as bigint) as active_parameters_high,
        cast(input_embedding_parameters as bigint) as input_embedding_parameters,
        cast(mtp_parameters as bigint) as mtp_parameters,
        cast(num_experts as integer) as num_experts,
        cast(num_experts_per_token as integer) as num_experts_per_token,
        cast(num_shared_experts as integer) as num_shared_experts,
        cast(expert_intermediate_size as bigint) as expert_intermediate_size,
        cast(hidden_size as bigint) as hidden_size,
        cast(num_hidden_layers as integer) as num_hidden_layers,
        cast(num_moe_layers as integer) as num_moe_layers,
        cast(vocab_size as bigint) as vocab_size,
        attention,
        quantization_method,
        torch_dtype,
        count_method,
        conventions,
        count_error,
        config_json,
        row_number() over (
            partition by repo_id order by captured_at desc, ingest_run_id desc
        ) = 1 as is_latest_for_repo,
        ingest_run_id,
        capture_sha256,
        captured_at,
        coalesce(data_date, cast(captured_at as date)) as data_date
    from source

)

select * from final
