with

source as (

    select * from {{ source('ingest', 'ingest_runs') }}

),

final as (

    select
        run_id as ingest_run_id,
        source as source_name,
        origin,
        capture_path,
        sha256 as capture_sha256,
        captured_at,
        started_at,
        finished_at,
        rows as row_count,
        status,
        error as error_message,
        data_date,
        data_date_basis,
        missing_columns
    from source

)

select * from final
