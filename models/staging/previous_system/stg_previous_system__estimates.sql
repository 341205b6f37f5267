with

source as (

    select * from {{ source('previous_system', 'previous_system_estimates') }}

),

final as (

    select
        file_kind,
        cast(row_number as integer) as row_number,
        model_name,
        developer,
        cast(release_date as date) as release_date,
        cast(parameters as double) as parameters,
        parameter_source,
        parameters_notes,
        cast(training_flop as double) as training_flop,
        lower(confidence) as confidence,
        confidence_explanation,
        estimation_method,
        alternative_methods,
        threshold_classification,
        reasoning,
        sources,
        verified as is_verified,
        cast(last_updated as timestamp) as last_updated_at,
        blacklist_status,
        notes,
        cast(training_dataset_size as double) as training_dataset_size,
        training_hardware,
        cast(hardware_quantity as double) as hardware_quantity,
        cast(training_time_hours as double) as training_time_hours,
        accessibility,
        cast(snapshot_date as date) as snapshot_date,
        ingest_run_id,
        capture_sha256,
        captured_at,
        -- the row's own date where the capture states one (a history row's date); null where it states none
        case when data_date is not null then cast(snapshot_date as date) end as data_date
    from source

)

select * from final
