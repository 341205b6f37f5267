{#- Method: Epoch AI's published estimate with its 90% interval: the interval Epoch's notes
    state where they state one, else its confidence read as a factor (Confident x3, Likely
    x10, Speculative x30; see the epoch_confidence_intervals seed and int_epoch_compute_latest).
    With var exclude_epoch_values this method yields nothing: validation then measures
    the estimator without any model's own Epoch figure. Tracked models only (Epoch lists
    thousands of models no leaderboard or seed names), as every method model. -#}
with

epoch_compute as (

    select * from {{ ref('int_epoch_compute_latest') }}

),

identified_models as (

    select * from {{ ref('int_models_identified') }}

),

epoch as (

    select epoch_compute.*
    from epoch_compute
    inner join identified_models on epoch_compute.model_id = identified_models.model_id

),

final as (

    select
        model_id,
        'epoch_reference' as method,
        training_compute_flop as training_flop,
        flop_low,
        flop_high,
        tracker_confidence as confidence,
        'Epoch AI estimate ' || {{ fmt_sci('training_compute_flop') }} || ' FLOP (' || epoch_confidence
        || case
            when interval_reading = 'stated_ci'
                then ', Epoch''s stated 90% CI ' || {{ fmt_sci('flop_low') }} || '..' || {{ fmt_sci('flop_high') }}
            else ', read as x/' || cast(interval_factor as integer) || '..x' || cast(interval_factor as integer)
        end
        || ') from the ' || export_name || ' export of '
        || coalesce(cast(data_date as varchar), 'unstated date, loaded ' || cast(cast(captured_at as date) as varchar))
        || coalesce('; Epoch notes: ' || left(regexp_replace(training_compute_notes, '\s+', ' ', 'g'), 160), '')
            as reasoning,
        coalesce(source_url || ' ; ', '') || 'https://epoch.ai/data/ai-models (' || epoch_model_name || ')' as sources,
        evidence_date,
        parameters,
        'epoch' as parameter_source
    from epoch
    where not {{ var('exclude_epoch_values') }}

)

select * from final
