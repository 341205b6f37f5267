with

source as (

    select * from {{ source('huggingface', 'huggingface_card_statements') }}

),

final as (

    select
        repo_id,
        revision,
        cast(statement_index as integer) as statement_index,
        kind,
        cast(value as double) as value,
        accelerator,
        qualifier,
        scope,
        sentence,
        ingest_run_id,
        capture_sha256,
        captured_at,
        coalesce(data_date, cast(captured_at as date)) as data_date
    from source

)

select * from final
