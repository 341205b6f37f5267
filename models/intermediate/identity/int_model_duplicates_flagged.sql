{#- Pairs of tracked model ids that look like one model under two ids: they share a Hub repo (a
    leaderboard's link or an Artificial Analysis API id naming a repo another id holds), or one of
    them holds a Hub repo or an Epoch row and their ids differ only in what identity keeps apart on
    purpose or cannot know: word order, the developer's name, an active-parameter marker, -preview,
    a 4-digit release suffix, or a size that one of them leaves out. A pair listed in
    distinct_model_pairs is allowed, with its reason; the build reports every other pair so that
    a person merges it (model_aliases) or says why they differ. -#}
{%- set size_word = '\\d+(\\.\\d+)?[mbt]|\\d+x\\d+(\\.\\d+)?b' -%}

with

identified_models as (

    select * from {{ ref('int_models_identified') }}

),

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where not is_excluded

),

lmarena_models as (

    select * from {{ ref('stg_lmarena__models') }}

),

openlm_scores as (

    select * from {{ ref('stg_openlm__scores') }}

),

artificial_analysis_entries as (

    select * from {{ ref('stg_artificial_analysis__entries') }}

),

distinct_model_pairs as (

    select * from {{ ref('distinct_model_pairs') }}

),

tracked_names as (

    select names.*
    from names
    inner join identified_models on names.model_id = identified_models.model_id

),

hub_links as (

    select distinct
        lower(raw_name) as repo_id,
        model_id
    from tracked_names
    where source_name in ('huggingface', 'open_llm_leaderboard')

    union

    select distinct
        lower(regexp_extract(lmarena.model_url, 'huggingface\.co/([^/?#\s]+/[^/?#\s]+)', 1)) as repo_id,
        tracked_names.model_id
    from lmarena_models as lmarena
    inner join tracked_names
        on tracked_names.source_name = 'lmarena' and lmarena.model_name = tracked_names.raw_name
    where regexp_matches(lmarena.model_url, 'huggingface\.co/[^/?#\s]+/[^/?#\s]+')

    union

    select distinct
        lower(regexp_extract(openlm.model_url, 'huggingface\.co/([^/?#\s]+/[^/?#\s]+)', 1)) as repo_id,
        tracked_names.model_id
    from openlm_scores as openlm
    inner join tracked_names
        on tracked_names.source_name = 'openlm' and openlm.model_name = tracked_names.raw_name
    where regexp_matches(openlm.model_url, 'huggingface\.co/[^/?#\s]+/[^/?#\s]+')

    union

    select distinct
        lower(entries.api_id) as repo_id,
        tracked_names.model_id
    from artificial_analysis_entries as entries
    inner join tracked_names
        on tracked_names.source_name = 'artificial_analysis' and entries.model_name = tracked_names.raw_name
    where regexp_matches(entries.api_id, '^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+$')

),

anchors as (

    select
        model_id,
        min('Hub repo ' || repo_id) as anchor
    from hub_links
    group by model_id

    union all

    select
        model_id,
        min('Epoch row ' || raw_name) as anchor
    from tracked_names
    where source_name = 'epoch'
    group by model_id

),

anchored as (

    select
        model_id,
        min(anchor) as anchor
    from anchors
    group by model_id

),

split_ids as (

    select
        identified_models.model_id,
        identified_models.developer,
        anchored.anchor,
        string_split(identified_models.model_id, '-') as id_words,
        string_split(regexp_replace(lower(identified_models.developer), '[^a-z0-9]+', ' ', 'g'), ' ') as developer_words
    from identified_models
    left join anchored on identified_models.model_id = anchored.model_id

),

keyed as (

    {#- An id's words less what two ids of one model may differ in (the developer's name, an active
        marker such as a22b, 'preview', a 4-digit release such as 0414 or 2507) and less its sizes
        (7b, 540b, 8x22b), sorted so that word order does not count; and its sizes apart. -#}
    select
        model_id,
        developer,
        anchor,
        list_sort(
            list_filter(
                id_words,
                lambda word: not regexp_matches(word, '^(a\d+(\.\d+)?b|preview|\d{4}|{{ size_word }})$')
                and not list_contains(developer_words, word)
            )
        ) as words,
        list_sort(list_filter(id_words, lambda word: regexp_matches(word, '^({{ size_word }})$'))) as size_words
    from split_ids

),

same_words as (

    select
        one.model_id,
        other.model_id as other_model_id,
        coalesce(one.anchor, other.anchor) as shared,
        'the ids differ only in word order, the developer''s name, an active marker, -preview or a release' as evidence
    from keyed as one
    inner join keyed as other
        on
            one.words = other.words
            and one.size_words = other.size_words
            and one.model_id < other.model_id
            and (one.developer = other.developer or 'Unknown' in (one.developer, other.developer))
    where len(one.words) > 0 and coalesce(one.anchor, other.anchor) is not null

),

size_left_out as (

    {#- An id without a size and the one id (and only one) that adds a size to the same words. -#}
    select
        least(sizeless.model_id, sized.model_id) as model_id,
        greatest(sizeless.model_id, sized.model_id) as other_model_id,
        coalesce(sizeless.anchor, sized.anchor) as shared,
        'one id leaves out the size the other gives' as evidence
    from keyed as sizeless
    inner join keyed as sized
        on
            sizeless.words = sized.words
            and len(sizeless.size_words) = 0
            and len(sized.size_words) = 1
            and (sizeless.developer = sized.developer or 'Unknown' in (sizeless.developer, sized.developer))
    where len(sizeless.words) > 0 and coalesce(sizeless.anchor, sized.anchor) is not null
    qualify count(*) over (partition by sizeless.model_id) = 1

),

same_repo as (

    select
        one.model_id,
        other.model_id as other_model_id,
        'Hub repo ' || one.repo_id as shared,
        'both link to one Hub repo' as evidence
    from hub_links as one
    inner join hub_links as other
        on one.repo_id = other.repo_id and one.model_id < other.model_id

),

pairs as (

    select * from same_repo
    union all
    select * from same_words
    union all
    select * from size_left_out

),

final as (

    select
        pairs.model_id,
        pairs.other_model_id,
        min(pairs.shared) as shared,
        min(pairs.evidence) as evidence,
        allowed.reason is not null as is_allowed,
        min(allowed.reason) as allowed_reason
    from pairs
    left join distinct_model_pairs as allowed
        on
            least(allowed.model_id, allowed.other_model_id) = pairs.model_id
            and greatest(allowed.model_id, allowed.other_model_id) = pairs.other_model_id
    group by pairs.model_id, pairs.other_model_id, allowed.reason is not null

)

select * from final
