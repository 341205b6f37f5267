with

source as (

    select * from {{ source('lifearchitect', 'lifearchitect_models') }}

),

final as (

    select
        cast(row_number as integer) as row_number,
        model_name,
        lab as developer,
        cast(parameters as double) as parameters,
        cast(training_tokens as double) as training_tokens,
        cast(tokens_per_parameter as double) as tokens_per_parameter,
        cast(alscore as double) as alscore,
        cast(mmlu as double) as mmlu_score,
        cast(mmlu_pro as double) as mmlu_pro_score,
        cast(gpqa as double) as gpqa_score,
        training_dataset,
        announced_text,
        cast(announced_month as date) as announced_month,
        public_status,
        availability,
        architecture,
        playground as playground_url,
        paper_url,
        notes,
        cast(snapshot_date as date) as snapshot_date,
        ingest_run_id,
        capture_sha256,
        captured_at,
        -- the row's own date where the capture states one (a history row's date); null where it states none
        case when data_date is not null then cast(snapshot_date as date) end as data_date
    from source

)

select * from final
