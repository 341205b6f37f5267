{#-
    Names -> model_ids: the one identity rule, used by int_model_names_normalized and, rendered
    by kernel/model_names.py, by Python wherever a person's name must be mapped (manual entries,
    imported decisions). `names` is a relation with source_name, raw_name and id_name (the name to
    normalise: the raw name, or a source's cleaned form of it); `aliases`, `source_aliases` and
    `excluded` are the model_aliases, source_model_aliases and excluded_model_names seeds. Every
    input row comes back once, with:

    1. normalized_name: normalize_model_name(id_name); a source's org/model repo id loses its org.
    2. model_id: an alias for this source (source_model_aliases), else one for every source
       (model_aliases), each tried first on the lower-cased raw name, then on the normalised name;
       else the normalised name.
    3. An id that gives a total size but no active-parameter marker (qwen3-235b, as Artificial
       Analysis writes Qwen3-235B-A22B) takes the one known id that differs only by that marker
       (qwen3-235b-a22b). With two or more such ids (or none), it stays as it is; an alias
       always wins.
    4. is_excluded: the id is in the exclusion seed (a generic family or product name, a
       placeholder), or the name is empty after normalisation.
-#}
{% macro resolve_model_ids(names, aliases, source_aliases, excluded) -%}
    {%- set marker = "-a\\d+(\\.\\d+)?b(-|$)" -%}
    with

    normalized as (

        select
            *,
            lower(trim(raw_name)) as name_key,
            {{ normalize_model_name('id_name', "source_name in ('huggingface', 'open_llm_leaderboard')") }}
                as normalized_name
        from {{ names }}
        where raw_name is not null and trim(raw_name) <> ''

    ),

    aliased as (

        select
            normalized.*,
            coalesce(raw_own.model_id, raw_any.model_id, normalized_own.model_id, normalized_any.model_id)
                as alias_model_id,
            coalesce(raw_own.alias, raw_any.alias, normalized_own.alias, normalized_any.alias) as matched_alias
        from normalized
        left join {{ source_aliases }} as raw_own
            on normalized.name_key = raw_own.alias and normalized.source_name = raw_own.source_name
        left join {{ aliases }} as raw_any
            on normalized.name_key = raw_any.alias
        left join {{ source_aliases }} as normalized_own
            on normalized.normalized_name = normalized_own.alias and normalized.source_name = normalized_own.source_name
        left join {{ aliases }} as normalized_any
            on normalized.normalized_name = normalized_any.alias

    ),

    marked_ids as (

        select distinct
            coalesce(alias_model_id, normalized_name) as model_id,
            regexp_replace(coalesce(alias_model_id, normalized_name), '{{ marker }}', '\2') as unmarked_id
        from aliased
        where regexp_matches(coalesce(alias_model_id, normalized_name), '(^|-)\d+(\.\d+)?b{{ marker }}')

    ),

    completions as (

        select
            unmarked_id,
            min(model_id) as model_id
        from marked_ids
        group by unmarked_id
        having count(*) = 1

    ),

    resolved as (

        select
            aliased.* exclude (alias_model_id),
            coalesce(aliased.alias_model_id, completions.model_id, aliased.normalized_name) as model_id
        from aliased
        left join completions
            on aliased.alias_model_id is null and aliased.normalized_name = completions.unmarked_id

    )

    select
        resolved.*,
        excluded.reason is not null or resolved.model_id = '' as is_excluded,
        case
            when resolved.model_id = '' then 'name is empty after normalisation'
            else excluded.reason
        end as exclusion_reason
    from resolved
    left join {{ excluded }} as excluded
        on resolved.model_id = excluded.normalized_name
{%- endmacro %}
