{#- Every model name any source uses, normalised, mapped to a model_id and a developer.
    One row per source and raw name (an organisation may differ between captures). -#}
with

lmarena_model_names as (

    select distinct
        'lmarena' as source_name,
        model_name as raw_name,
        organization
    from {{ ref('stg_lmarena__models') }}

),

lmarena_score_names as (

    select distinct
        'lmarena' as source_name,
        model_name as raw_name,
        organization
    from {{ ref('stg_lmarena__scores') }}

),

epoch_names as (

    select distinct
        'epoch' as source_name,
        model_name as raw_name,
        trim(split_part(organization, ',', 1)) as organization
    from {{ ref('stg_epoch__models') }}

),

known_spec_names as (

    select
        'known_model_specs' as source_name,
        model_name as raw_name,
        developer as organization
    from {{ ref('known_model_specs') }}

),

manual_names as (

    select
        'manual_models' as source_name,
        model_name as raw_name,
        developer as organization
    from {{ ref('manual_models') }}

),

openlm_names as (

    select distinct
        'openlm' as source_name,
        model_name as raw_name,
        organization
    from {{ ref('stg_openlm__scores') }}

),

artificial_analysis_names as (

    select distinct
        'artificial_analysis' as source_name,
        model_name as raw_name,
        creator as organization
    from {{ ref('stg_artificial_analysis__entries') }}

),

huggingface_names as (

    select distinct
        'huggingface' as source_name,
        repo_id as raw_name,
        repo_owner as organization
    from {{ ref('stg_huggingface__models') }}

),

open_llm_leaderboard_names as (

    select distinct
        'open_llm_leaderboard' as source_name,
        repo_id as raw_name,
        split_part(repo_id, '/', 1) as organization
    from {{ ref('stg_open_llm_leaderboard__entries') }}

),

lifearchitect_names as (

    select distinct
        'lifearchitect' as source_name,
        model_name as raw_name,
        developer as organization
    from {{ ref('stg_lifearchitect__models') }}

),

previous_system_names as (

    select distinct
        'previous_system' as source_name,
        model_name as raw_name,
        developer as organization
    from {{ ref('stg_previous_system__scores') }}

),

announcement_names as (

    select distinct
        'announcements' as source_name,
        model_name as raw_name,
        developer as organization
    from {{ ref('stg_announcements__posts') }}
    where is_model_announcement and model_name is not null

),

model_aliases as (

    select * from {{ ref('model_aliases') }}

),

developer_aliases as (

    select * from {{ ref('developer_aliases') }}

),

excluded_names as (

    select * from {{ ref('excluded_model_names') }}

),

lmarena_names as (

    select * from lmarena_model_names
    union
    select * from lmarena_score_names

),

all_names as (

    select * from lmarena_names
    union all
    select * from openlm_names
    union all
    select * from artificial_analysis_names
    union all
    select * from huggingface_names
    union all
    select * from open_llm_leaderboard_names
    union all
    select * from lifearchitect_names
    union all
    select * from previous_system_names
    union all
    select * from announcement_names
    union all
    select * from epoch_names
    union all
    select * from known_spec_names
    union all
    select * from manual_names

),

normalized as (

    select
        source_name,
        raw_name,
        organization,
        lower(trim(raw_name)) as name_key,
        {{ normalize_model_name('raw_name') }} as normalized_name
    from all_names
    where raw_name is not null and trim(raw_name) <> ''

),

aliased as (

    select
        normalized.*,
        coalesce(by_raw.model_id, by_normalized.model_id, normalized.normalized_name) as model_id,
        coalesce(by_raw.alias, by_normalized.alias) as matched_alias
    from normalized
    left join model_aliases as by_raw
        on normalized.name_key = by_raw.alias
    left join model_aliases as by_normalized
        on normalized.normalized_name = by_normalized.alias

),

final as (

    select
        aliased.source_name,
        aliased.raw_name,
        aliased.name_key,
        aliased.normalized_name,
        aliased.model_id,
        aliased.matched_alias,
        aliased.organization,
        coalesce(developers.developer, nullif(trim(aliased.organization), '')) as developer,
        excluded.reason is not null or aliased.model_id = '' as is_excluded,
        case
            when aliased.model_id = '' then 'name is empty after normalisation'
            else excluded.reason
        end as exclusion_reason
    from aliased
    left join developer_aliases as developers
        on lower(trim(aliased.organization)) = developers.organization
    left join excluded_names as excluded
        on aliased.model_id = excluded.normalized_name

)

select * from final
