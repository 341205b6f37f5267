{#- Epoch's language models with both parameters and training dataset size (tokens), one point
    per model_id (the export with the newest data date that has both, as int_epoch_compute_latest
    chooses): what token priors are calibrated on. Models
    trained from scratch on text only: a fine-tune's dataset size is its fine-tuning data, and
    a multimodal model's counts images or audio, neither of them pre-training tokens. Columns
    are the regression's x = log10(parameters), z = years since 2023, y = log10(tokens), plus the
    developer and line the transfers match on. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where source_name = 'epoch' and not is_excluded

),

epoch_models as (

    select * from {{ ref('stg_epoch__models') }}

),

points as (

    select
        names.model_id,
        names.developer,
        {{ model_series('names.model_id') }} as line,
        epoch.model_name as epoch_model_name,
        epoch.publication_date,
        epoch.parameters,
        epoch.training_dataset_size as tokens,
        log10(epoch.parameters) as x,
        date_diff('day', date '2023-01-01', epoch.publication_date) / 365.25 as z,
        log10(epoch.training_dataset_size) as y
    from epoch_models as epoch
    inner join names on epoch.model_name = names.raw_name
    where
        epoch.parameters > 1e8
        and epoch.training_dataset_size > 1e9
        and epoch.publication_date >= date '2019-01-01'
        and epoch.domain ilike '%language%'
        and not regexp_matches(lower(epoch.domain), 'vision|audio|speech|multimodal|video|image')
        and epoch.base_model is null
        and {{ evidence_before_as_of('epoch.publication_date') }}
    qualify row_number() over (
        partition by names.model_id
        order by epoch.data_date desc nulls last, epoch.captured_at desc, epoch.export_name asc
    ) = 1

),

final as (

    select
        model_id,
        developer,
        line,
        epoch_model_name,
        publication_date,
        parameters,
        tokens,
        x,
        z,
        y
    from points

)

select * from final
