{#- One row per tracked model: its id, display name, developer and release date.
    A model is tracked when a leaderboard, a curated seed, or Epoch (at >= 1e23 FLOP or with
    a note about 1e25) names it; generic names from the exclusion seed are dropped. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where not is_excluded

),

epoch_models as (

    select * from {{ ref('stg_epoch__models') }}

),

known_specs as (

    select * from {{ ref('known_model_specs') }}

),

lmarena_scores as (

    select * from {{ ref('stg_lmarena__scores') }}

),

lmarena_models as (

    select * from {{ ref('stg_lmarena__models') }}

),

epoch_tracked as (

    select distinct model_name as raw_name
    from epoch_models
    where
        training_compute_flop >= 1e23
        or export_name = 'large_scale_ai_models'
        or training_compute_notes ilike '%1e25%'
        or training_compute_notes ilike '%10^25%'

),

tracked_names as (

    {#- Leaderboards, announcements, curated seeds and notable Epoch rows make a model tracked;
        the Hub, the Open LLM Leaderboard and LifeArchitect only add evidence to tracked models
        (they list thousands of fine-tunes). -#}
    select names.*
    from names
    where names.source_name in (
        'lmarena', 'openlm', 'artificial_analysis', 'previous_system', 'announcements',
        'known_model_specs', 'manual_models'
    )
    or (names.source_name = 'epoch' and names.raw_name in (select epoch_tracked.raw_name from epoch_tracked))

),

specs as (

    select
        names.model_id,
        specs.model_name,
        specs.release_date
    from known_specs as specs
    inner join names
        on names.source_name = 'known_model_specs' and specs.model_name = names.raw_name

),

epoch_dates as (

    select
        names.model_id,
        min(epoch.publication_date) as publication_date,
        min(epoch.model_name) as model_name
    from epoch_models as epoch
    inner join names
        on names.source_name = 'epoch' and epoch.model_name = names.raw_name
    group by names.model_id

),

first_seen as (

    select
        names.model_id,
        min(scores.snapshot_date) as first_seen_date,
        arg_min(scores.model_name, scores.snapshot_date) as model_name
    from lmarena_scores as scores
    inner join names
        on names.source_name = 'lmarena' and scores.model_name = names.raw_name
    where {{ evidence_before_as_of('scores.snapshot_date') }}
    group by names.model_id

),

licenses as (

    {#- Whether the weights are published, from the licence leaderboards list (Proprietary = closed). -#}
    select
        names.model_id,
        bool_or(lmarena.license ilike 'propriet%') as any_proprietary,
        bool_or(lmarena.license is not null and not lmarena.license ilike 'propriet%') as any_open
    from lmarena_models as lmarena
    inner join names on names.source_name = 'lmarena' and lmarena.model_name = names.raw_name
    group by names.model_id

),

developer_votes as (

    select
        model_id,
        developer,
        count(*) as n_names,
        max(case when source_name in ('known_model_specs', 'manual_models') then 1 else 0 end) as from_seed
    from tracked_names
    where developer is not null
    group by model_id, developer

),

developers as (

    select
        model_id,
        arg_max(developer, from_seed * 1000000 + n_names) as developer
    from developer_votes
    group by model_id

),

tracked as (

    select
        model_id,
        list(distinct source_name order by source_name) as name_sources,
        list(distinct raw_name order by raw_name) as known_names
    from tracked_names
    group by model_id

),

final as (

    select
        tracked.model_id,
        coalesce(specs.model_name, epoch_dates.model_name, first_seen.model_name, tracked.model_id) as model_name,
        coalesce(developers.developer, 'Unknown') as developer,
        coalesce(specs.release_date, epoch_dates.publication_date, first_seen.first_seen_date) as release_date,
        case
            when specs.release_date is not null then 'known_model_specs'
            when epoch_dates.publication_date is not null then 'epoch'
            when first_seen.first_seen_date is not null then 'first_leaderboard_appearance'
        end as release_date_source,
        first_seen.first_seen_date,
        case
            when licenses.any_proprietary then 'proprietary'
            when licenses.any_open then 'open_weights'
        end as weights_access,
        tracked.name_sources,
        tracked.known_names
    from tracked
    left join specs on tracked.model_id = specs.model_id
    left join epoch_dates on tracked.model_id = epoch_dates.model_id
    left join first_seen on tracked.model_id = first_seen.model_id
    left join developers on tracked.model_id = developers.model_id
    left join licenses on tracked.model_id = licenses.model_id
    where
        coalesce(specs.release_date, epoch_dates.publication_date, first_seen.first_seen_date) is null
        or {{ evidence_before_as_of('coalesce(specs.release_date, epoch_dates.publication_date, first_seen.first_seen_date)') }}
    qualify row_number() over (partition by tracked.model_id order by specs.model_name nulls last) = 1

)

select * from final
