{#- Every model name any source uses, normalised and mapped to a model_id (resolve_model_ids: the
    one identity rule, shared with Python) and a developer. One row per source, raw name and
    organisation (an organisation may differ between captures). -#}
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

moe_disclosed_names as (

    select
        'moe_disclosed_parameters' as source_name,
        model_name as raw_name,
        developer as organization
    from {{ ref('moe_disclosed_parameters') }}

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

artificial_analysis_entries as (

    select * from {{ ref('stg_artificial_analysis__entries') }}

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

source_model_aliases as (

    select * from {{ ref('source_model_aliases') }}

),

excluded_names as (

    select * from {{ ref('excluded_model_names') }}

),

lmarena_names as (

    select * from lmarena_model_names
    union
    select * from lmarena_score_names

),

artificial_analysis_tiers as (

    {#- Artificial Analysis lists a model once per API provider and appends the provider's tier to the
        name: "Llama 3.3 70B Turbo" from "Together.ai Turbo", "Claude 4 Opus Vertex" from "Google Vertex",
        "DeepSeek R1 0528 (Throughput)" from "Together.ai (Throughput)". The tiers are the provider's
        trailing words after its company name; the name ends with at most one of them. -#}
    select
        model_name,
        creator,
        regexp_replace(trim(model_name), '\s+', ' ', 'g') as spaced_name,
        list_filter(
            list_transform(
                range(2, len(regexp_split_to_array(trim(api_provider), '\s+')) + 1),
                lambda i: array_to_string(regexp_split_to_array(trim(api_provider), '\s+')[i:], ' ')
            ),
            lambda tier: ends_with(lower(regexp_replace(trim(model_name), '\s+', ' ', 'g')), ' ' || lower(tier))
        ) as tiers
    from artificial_analysis_entries

),

artificial_analysis_names as (

    {#- The id is made from the name without the provider's tier (the shortest, where one name is
        listed by providers with and without a tier). -#}
    select
        'artificial_analysis' as source_name,
        model_name as raw_name,
        creator as organization,
        min(
            case
                when len(tiers) > 0 then left(spaced_name, length(spaced_name) - length(tiers[1]) - 1)
                else spaced_name
            end
        ) as id_name
    from artificial_analysis_tiers
    group by model_name, creator

),

all_names as (

    select
        *,
        raw_name as id_name
    from (
        select * from lmarena_names
        union all
        select * from openlm_names
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
        union all
        select * from moe_disclosed_names
    ) as named_by_themselves
    union all
    select * from artificial_analysis_names

),

resolved as (

    {{ resolve_model_ids('all_names', 'model_aliases', 'source_model_aliases', 'excluded_names') }}

),

final as (

    select
        resolved.source_name,
        resolved.raw_name,
        resolved.name_key,
        resolved.normalized_name,
        resolved.model_id,
        resolved.matched_alias,
        resolved.organization,
        coalesce(developers.developer, nullif(trim(resolved.organization), '')) as developer,
        resolved.is_excluded,
        resolved.exclusion_reason
    from resolved
    left join developer_aliases as developers
        on lower(trim(resolved.organization)) = developers.organization

)

select * from final
