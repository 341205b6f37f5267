with

source as (

    select * from {{ source('announcements', 'announcement_posts') }}

),

final as (

    select
        developer,
        feed_kind,
        feed_url,
        feed_title,
        post_id,
        title,
        url as source_url,
        cast(published_at as timestamp) as published_at,
        summary,
        announces_model as is_model_announcement,
        model_name,
        cast(parameters as double) as parameters,
        cast(active_parameters as double) as active_parameters,
        parameters_basis,
        parameters_text,
        cast(training_tokens as double) as training_tokens,
        tokens_text,
        cast(hardware_count as double) as hardware_count,
        hardware_type,
        hardware_text,
        cast(training_flop as double) as training_flop,
        flop_text,
        ingest_run_id,
        capture_sha256,
        captured_at,
        coalesce(cast(published_at as date), data_date) as data_date
    from source

)

select * from final
