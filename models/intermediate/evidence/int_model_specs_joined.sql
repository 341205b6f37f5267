{#- Disclosed facts per model: the curated known-specs seed and manual entries (a person's
    entry wins over the curated row for the same model). One row per model_id. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where source_name in ('known_model_specs', 'manual_models') and not is_excluded

),

known as (

    select
        *,
        'known_model_specs' as spec_source,
        2 as spec_rank,
        cast(null as timestamp) as entered_at_ts
    from {{ ref('known_model_specs') }}

),

manual as (

    select
        * exclude (entered_by, entered_at),
        'manual_models' as spec_source,
        1 as spec_rank,
        entered_at as entered_at_ts
    from {{ ref('manual_models') }}

),

all_specs as (

    select * from known
    union all by name
    select * from manual

),

joined as (

    select
        names.model_id,
        all_specs.*
    from all_specs
    inner join names
        on all_specs.spec_source = names.source_name and all_specs.model_name = names.raw_name

),

final as (

    select
        model_id,
        model_name as spec_model_name,
        developer,
        release_date,
        total_parameters,
        coalesce(active_parameters, case when architecture = 'dense' then total_parameters end) as active_parameters,
        training_tokens,
        hardware_type,
        hardware_count,
        training_time_hours,
        lower(training_precision) as training_precision,
        disclosed_training_flop,
        training_cost_usd,
        architecture,
        source_url,
        notes,
        spec_source,
        coalesce(release_date, cast(entered_at_ts as date)) as evidence_date
    from joined
    where
        coalesce(release_date, cast(entered_at_ts as date)) is null
        or {{ evidence_before_as_of('coalesce(release_date, cast(entered_at_ts as date))') }}
    qualify row_number() over (partition by model_id order by spec_rank asc, entered_at_ts desc nulls last) = 1

)

select * from final
