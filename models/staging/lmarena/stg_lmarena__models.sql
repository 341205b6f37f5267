with

source as (

    select * from {{ source('lmarena', 'lmarena_models') }}

),

final as (

    select
        model_key,
        display_name as model_name,
        organization,
        license,
        knowledge_cutoff,
        link as model_url,
        cast(input_price_per_mtok as double) as input_price_usd_per_mtok,
        cast(output_price_per_mtok as double) as output_price_usd_per_mtok,
        capture_format,
        ingest_run_id,
        capture_sha256,
        captured_at,
        data_date
    from source

)

select * from final
