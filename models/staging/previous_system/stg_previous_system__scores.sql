with

source as (

    select * from {{ source('previous_system', 'previous_system_scores') }}

),

final as (

    select
        leaderboard,
        cast(entry_index as integer) as entry_index,
        model_name,
        developer,
        score_name,
        cast(score_value as double) as score_value,
        source_note,
        cast(parameters as double) as parameters,
        cast(training_flop as double) as training_flop,
        cast(snapshot_date as date) as snapshot_date,
        cast(saved_at as timestamp) as saved_at,
        cast(last_updated as timestamp) as last_updated_at,
        ingest_run_id,
        capture_sha256,
        captured_at,
        -- the row's own date where the capture states one (a history row's date); null where it states none
        case when data_date is not null then cast(snapshot_date as date) end as data_date
    from source

)

select * from final
