with

source as (

    select * from {{ source('epoch', 'epoch_models') }}

),

final as (

    select
        model_name,
        export_name,
        organization,
        cast(publication_date as date) as publication_date,
        domain,
        cast(parameters as double) as parameters,
        parameters_notes,
        cast(training_compute_flop as double) as training_compute_flop,
        cast(training_compute_lower as double) as training_compute_flop_low,
        cast(training_compute_upper as double) as training_compute_flop_high,
        training_compute_notes,
        cast(training_dataset_size as double) as training_dataset_size,
        cast(training_time_hours as double) as training_time_hours,
        training_hardware,
        cast(hardware_quantity as double) as hardware_quantity,
        cast(hardware_utilization as double) as hardware_utilization,
        cast(hardware_utilization_hfu as double) as hardware_utilization_hfu,
        cast(training_cost_usd_2023 as double) as training_cost_usd_2023,
        lower(confidence) as confidence,
        accessibility,
        base_model,
        cast(finetune_compute_flop as double) as finetune_compute_flop,
        country,
        link as source_url,
        frontier_model,
        last_modified,
        ingest_run_id,
        capture_sha256,
        captured_at,
        data_date
    from source

)

select * from final
