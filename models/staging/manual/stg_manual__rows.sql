with

source as (

    select * from {{ source('manual', 'manual_rows') }}

),

final as (

    select
        source_name,
        cast(row_number as integer) as row_number,
        model_name,
        developer,
        field,
        field_kind,
        column_name,
        value_text,
        cast(value_number as double) as value_number,
        unit,
        capture_format,
        cast(snapshot_date as date) as snapshot_date,
        ingest_run_id,
        capture_sha256,
        captured_at,
        -- the row's own date where the capture states one (a history row's date); null where it states none
        case when data_date is not null then cast(snapshot_date as date) end as data_date
    from source

)

select * from final
