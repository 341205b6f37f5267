{#- Epoch's training compute per model: the value of the export with the newest data date (the
    export's own date, not the day it was loaded: Epoch revises its estimates, and a 2026 export
    supersedes a 2025 one whatever order they were loaded in), preferring the Large-Scale export,
    then Notable, then All, among exports of one date, with its 90% interval: the interval Epoch's
    analysts state in the notes where there is one that holds the figure (GPT-4's "90% CI:
    8.2E+24 to 4.4E+25"; epoch_stated_interval macro), else the confidence word read as a
    factor (epoch_confidence_intervals seed). One row per model_id with a figure. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where source_name = 'epoch' and not is_excluded

),

epoch as (

    select * from {{ ref('stg_epoch__models') }}
    where
        training_compute_flop is not null
        and {{ evidence_before_as_of('coalesce(publication_date, data_date)') }}

),

confidence_intervals as (

    select * from {{ ref('epoch_confidence_intervals') }}

),

joined as (

    select
        names.model_id,
        epoch.*,
        case epoch.export_name
            when 'large_scale_ai_models' then 1
            when 'notable_ai_models' then 2
            else 3
        end as export_rank
    from epoch
    inner join names on epoch.model_name = names.raw_name

),

latest as (

    select
        joined.*,
        {{ epoch_stated_interval('joined.training_compute_notes', 'low') }} as stated_ci_low,
        {{ epoch_stated_interval('joined.training_compute_notes', 'high') }} as stated_ci_high
    from joined
    where coalesce(joined.confidence, 'unknown') <> 'wrong'
    qualify row_number() over (
        partition by joined.model_id
        order by
            joined.data_date desc nulls last,
            joined.export_rank asc,
            joined.captured_at desc,
            joined.training_compute_flop desc
    ) = 1

),

final as (

    select
        joined.model_id,
        joined.model_name as epoch_model_name,
        joined.organization,
        joined.publication_date,
        joined.training_compute_flop,
        joined.training_compute_flop_low,
        joined.training_compute_flop_high,
        coalesce(joined.confidence, 'unknown') as epoch_confidence,
        intervals.interval_factor,
        intervals.tracker_confidence,
        joined.stated_ci_low,
        joined.stated_ci_high,
        case
            when joined.training_compute_flop between joined.stated_ci_low and joined.stated_ci_high
                then 'stated_ci'
            else 'confidence_word'
        end as interval_reading,
        case
            when joined.training_compute_flop between joined.stated_ci_low and joined.stated_ci_high
                then joined.stated_ci_low
            else {{ flop_low('joined.training_compute_flop', 'intervals.interval_factor') }}
        end as flop_low,
        case
            when joined.training_compute_flop between joined.stated_ci_low and joined.stated_ci_high
                then joined.stated_ci_high
            else {{ flop_high('joined.training_compute_flop', 'intervals.interval_factor') }}
        end as flop_high,
        joined.training_compute_notes,
        joined.parameters,
        joined.training_dataset_size,
        joined.source_url,
        joined.export_name,
        joined.captured_at,
        joined.data_date,
        coalesce(joined.publication_date, joined.data_date) as evidence_date
    from latest as joined
    left join confidence_intervals as intervals
        on coalesce(joined.confidence, 'unknown') = intervals.epoch_confidence

)

select * from final
