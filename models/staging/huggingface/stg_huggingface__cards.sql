with

source as (

    select * from {{ source('huggingface', 'huggingface_cards') }}

),

final as (

    select
        repo_id,
        revision,
        license,
        base_models,
        pipeline_tag,
        tags,
        languages,
        title,
        cast(text_chars as integer) as text_chars,
        cast(statements as integer) as statements,
        metadata_error,
        ingest_run_id,
        capture_sha256,
        captured_at,
        coalesce(data_date, cast(captured_at as date)) as data_date
    from source

)

select * from final
