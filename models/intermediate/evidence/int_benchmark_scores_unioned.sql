{#- Leaderboard scores per model and snapshot, from every leaderboard, in one shape.
    Variants that share a model_id (gpt-4-0314, gpt-4-0613) keep the best score in a snapshot.
    One row per model_id, leaderboard and snapshot. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where not is_excluded

),

lmarena_scores as (

    select * from {{ ref('stg_lmarena__scores') }}

),

openlm_scores as (

    select * from {{ ref('stg_openlm__scores') }}

),

artificial_analysis_scores as (

    select * from {{ ref('int_artificial_analysis_scores_collapsed') }}

),

previous_system_scores as (

    select * from {{ ref('stg_previous_system__scores') }}

),

lmarena as (

    select
        names.model_id,
        case when scores.is_style_controlled then 'lmarena_text_style_control' else 'lmarena_text' end as leaderboard,
        scores.capture_format || ':' || cast(scores.snapshot_date as varchar) || ':' || cast(scores.ingest_run_id as varchar)
            as snapshot_id,
        scores.snapshot_date,
        scores.arena_score as score,
        scores.arena_score_low as score_low,
        scores.arena_score_high as score_high,
        scores.votes,
        case
            when scores.capture_format = 'dataset'
                then
                    'https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset (LMArena, CC-BY-4.0; published '
                    || cast(scores.snapshot_date as varchar) || ')'
            else
                'https://lmarena.ai/leaderboard (' || scores.capture_format || ' of '
                || coalesce(
                    cast(scores.data_date as varchar),
                    'unstated date, fetched ' || cast(cast(scores.captured_at as date) as varchar)
                ) || ')'
        end as source
    from lmarena_scores as scores
    inner join names on names.source_name = 'lmarena' and scores.model_name = names.raw_name
    where
        scores.category = 'text'
        and {{ evidence_before_as_of('scores.snapshot_date') }}

),

openlm as (

    select
        names.model_id,
        'openlm_arena' as leaderboard,
        'openlm:' || cast(scores.snapshot_date as varchar) || ':' || cast(scores.ingest_run_id as varchar) as snapshot_id,
        scores.snapshot_date,
        scores.arena_elo as score,
        cast(null as double) as score_low,
        cast(null as double) as score_high,
        scores.votes,
        'https://openlm.ai/chatbot-arena/ (of '
        || coalesce(
            cast(scores.data_date as varchar),
            'unstated date, fetched ' || cast(cast(scores.captured_at as date) as varchar)
        ) || ')' as source
    from openlm_scores as scores
    inner join names on names.source_name = 'openlm' and scores.model_name = names.raw_name
    where
        scores.arena_elo is not null
        and {{ evidence_before_as_of('scores.snapshot_date') }}

),

artificial_analysis as (

    select
        names.model_id,
        'artificial_analysis_index' as leaderboard,
        'aa:' || cast(collapsed.snapshot_date as varchar) || ':' || cast(collapsed.ingest_run_id as varchar) as snapshot_id,
        collapsed.snapshot_date,
        collapsed.intelligence_index as score,
        collapsed.intelligence_index_min as score_low,
        collapsed.intelligence_index_max as score_high,
        cast(null as bigint) as votes,
        'https://artificialanalysis.ai/leaderboards/models (export of '
        || cast(collapsed.snapshot_date as varchar) || ')' as source
    from artificial_analysis_scores as collapsed
    inner join names on names.source_name = 'artificial_analysis' and collapsed.model_name = names.raw_name
    where
        collapsed.intelligence_index is not null
        and {{ evidence_before_as_of('collapsed.snapshot_date') }}

),

previous_system as (

    select
        names.model_id,
        'previous_' || scores.leaderboard || '_' || scores.score_name as leaderboard,
        'prev:' || scores.leaderboard || ':' || cast(scores.snapshot_date as varchar) || ':'
        || cast(scores.ingest_run_id as varchar) as snapshot_id,
        scores.snapshot_date,
        scores.score_value as score,
        cast(null as double) as score_low,
        cast(null as double) as score_high,
        cast(null as bigint) as votes,
        coalesce(scores.source_note, 'previous system scrape of ' || scores.leaderboard) as source
    from previous_system_scores as scores
    inner join names on names.source_name = 'previous_system' and scores.model_name = names.raw_name
    where
        scores.score_value is not null
        and {{ evidence_before_as_of('scores.snapshot_date') }}

),

all_scores as (

    select * from lmarena
    union all
    select * from openlm
    union all
    select * from artificial_analysis
    union all
    select * from previous_system

),

final as (

    select
        model_id,
        leaderboard,
        snapshot_id,
        snapshot_date,
        max(score) as score,
        arg_max(score_low, score) as score_low,
        arg_max(score_high, score) as score_high,
        arg_max(votes, score) as votes,
        arg_max(source, score) as source
    from all_scores
    group by model_id, leaderboard, snapshot_id, snapshot_date

)

select * from final
