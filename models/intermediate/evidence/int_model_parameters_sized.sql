{#- The parameters each model multiplies per token: one answer every method reads. One row per
    model_id (tracked or not) with any size evidence.

    Mixture-of-experts models are never costed on their total. The active count comes from, in order:
      1. a disclosure: the known-specs seed or a manual entry, then moe_disclosed_parameters;
      2. the count the Hub ingest computed from the repository's config.json;
      3. the name's active marker: "235b-a22b" / "1b-a400m" (22B / 400M active), "17b-128e" (Llama 4:
         17B active, 128 experts), "a13b", "8x22b" (Mixtral's top-2 of 8: 2 x 22B);
      4. total x the active-fraction prior (int_moe_active_fraction_fitted: log10(active/total) on
         log10(total), fitted on the MoE models whose developers state both counts), with the prior's
         90% prediction interval carried as active_low..active_high.
    Whether a model is a mixture comes from the disclosure, else the Hub (its MoE flag, an expert
    count above one, a model_type the moe_architectures seed lists as MoE, or one named *_moe), else
    the name's marker. A model with no such evidence is dense only where a disclosure or the
    architecture seed says so; otherwise its architecture is unknown and its total is used, which
    size_reading says. Total parameters: disclosed, else the Hub's safetensors count (median over
    the model's repositories that are not quantised: packed 4-bit weights undercount), else the
    name. -#}
with

names as (

    select * from {{ ref('int_model_names_normalized') }}
    where not is_excluded

),

model_specs as (

    select * from {{ ref('int_model_specs_joined') }}

),

moe_disclosed as (

    select * from {{ ref('moe_disclosed_parameters') }}

),

hub_models as (

    select * from {{ ref('stg_huggingface__models') }}

),

moe_architectures as (

    select * from {{ ref('moe_architectures') }}

),

active_fraction as (

    select * from {{ ref('int_moe_active_fraction_fitted') }}

),

hub_configs as (

    select * from {{ ref('int_hub_parameters_compared') }}
    where count_error is null and total_parameters > 0

),

card_statements as (

    select * from {{ ref('stg_huggingface__card_statements') }}
    where kind in ('total_parameters', 'active_parameters') and value > 0

),

model_ids as (

    select distinct model_id from names

),

disclosed_candidates as (

    select
        model_id,
        total_parameters,
        active_parameters,
        architecture,
        source_url,
        1 as disclosure_rank
    from model_specs
    where active_parameters > 0 or total_parameters > 0
    union all
    select
        names.model_id,
        seed.total_parameters,
        seed.active_parameters,
        'moe' as architecture,
        seed.source_url,
        2 as disclosure_rank
    from moe_disclosed as seed
    inner join names
        on
            (seed.model_name = names.raw_name and names.source_name = 'moe_disclosed_parameters')
            or (seed.hf_repo = names.raw_name and names.source_name = 'huggingface')

),

card_counts as (

    {#- A model card's stated counts (the Hub ingest's card parser), where the card states one value of
        a kind: a card that names several (a comparison table) says nothing certain about its own. -#}
    select
        names.model_id,
        case
            when count(distinct statements.value) filter (where statements.kind = 'total_parameters') = 1
                then max(statements.value) filter (where statements.kind = 'total_parameters')
        end as total_parameters,
        case
            when count(distinct statements.value) filter (where statements.kind = 'active_parameters') = 1
                then max(statements.value) filter (where statements.kind = 'active_parameters')
        end as active_parameters,
        'https://huggingface.co/' || min(statements.repo_id) as source_url
    from card_statements as statements
    inner join names on statements.repo_id = names.raw_name and names.source_name = 'huggingface'
    group by names.model_id

),

disclosures as (

    select * from disclosed_candidates
    union all
    select
        model_id,
        total_parameters,
        active_parameters,
        case when active_parameters < total_parameters then 'moe' end as architecture,
        source_url,
        3 as disclosure_rank
    from card_counts
    where total_parameters > 0 or active_parameters > 0

),

disclosed as (

    {#- Each figure from the most trusted disclosure that states it: the seed or a manual entry, then
        moe_disclosed_parameters, then the model card. -#}
    select
        model_id,
        arg_min(total_parameters, disclosure_rank) filter (where total_parameters > 0) as total_parameters,
        arg_min(active_parameters, disclosure_rank) filter (where active_parameters > 0) as active_parameters,
        arg_min(architecture, disclosure_rank) filter (where architecture is not null) as architecture,
        coalesce(
            arg_min(source_url, disclosure_rank) filter (where active_parameters > 0),
            arg_min(source_url, disclosure_rank)
        ) as source_url
    from disclosures
    group by model_id

),

configs as (

    {#- Counted from config.json by the Hub ingest (int_hub_parameters_compared), per model. -#}
    select
        model_id,
        median(total_parameters) as total_parameters,
        median(active_parameters) as active_parameters,
        bool_or(coalesce(is_moe, false)) as says_moe,
        bool_and(is_moe = false) as says_dense,
        min(model_type) as model_type,
        min(repo_id) as repo_id
    from hub_configs
    where model_id is not null
    group by model_id

),

hub_repos as (

    select
        *,
        quantization_method is not null
        or regexp_matches(lower(repo_id), '(awq|gptq|int4|int8|\dbit|fp4|bnb|gguf|exl2)') as is_quantised
    from hub_models

),

hub as (

    select
        names.model_id,
        median(hub.total_parameters) filter (where not hub.is_quantised) as total_parameters,
        median(hub.active_parameters) filter (where not hub.is_quantised) as active_parameters,
        min(hub.repo_id) filter (where not hub.is_quantised) as repo_id,
        bool_or(coalesce(hub.is_moe, false)) as flags_moe,
        max(hub.num_experts) as num_experts,
        min(hub.model_type) filter (where architectures.is_moe or hub.model_type like '%moe%') as moe_model_type,
        bool_or(coalesce(architectures.is_moe, false) or coalesce(hub.model_type like '%moe%', false)) as moe_by_type,
        bool_and(coalesce(not architectures.is_moe, false)) as dense_by_type,
        min(hub.model_type) as model_type
    from hub_repos as hub
    inner join names on names.source_name = 'huggingface' and hub.repo_id = names.raw_name
    left join moe_architectures as architectures on hub.model_type = architectures.model_type
    group by names.model_id

),

name_markers as (

    {#- Each marker's parts as text ('' when the name has no such marker). -#}
    select
        model_id,
        regexp_extract(model_id, '(?:^|-)(\d+)x(\d+(?:\.\d+)?)b(?:-|$)', 1) as n_experts,
        regexp_extract(model_id, '(?:^|-)(\d+)x(\d+(?:\.\d+)?)b(?:-|$)', 2) as expert_b,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)([bm])-a(\d+(?:\.\d+)?)([bm])(?:-|$)', 1) as marked_total,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)([bm])-a(\d+(?:\.\d+)?)([bm])(?:-|$)', 2) as marked_total_unit,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)([bm])-a(\d+(?:\.\d+)?)([bm])(?:-|$)', 3) as marked_active,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)([bm])-a(\d+(?:\.\d+)?)([bm])(?:-|$)', 4) as marked_active_unit,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)b-(\d+)e(?:-|$)', 1) as per_token_b,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)b-(\d+)e(?:-|$)', 2) as experts_e,
        regexp_extract(model_id, '(?:^|-)a(\d+(?:\.\d+)?)b(?:-|$)', 1) as active_only_b,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)b(?:-|$)', 1) as dense_b
    from model_ids

),

from_name as (

    select
        model_id,
        case
            when n_experts <> '' then try_cast(n_experts as double) * try_cast(expert_b as double) * 1e9
            when marked_total <> ''
                then try_cast(marked_total as double) * (case marked_total_unit when 'm' then 1e6 else 1e9 end)
            when per_token_b = '' and active_only_b = '' and dense_b <> '' then try_cast(dense_b as double) * 1e9
        end as total_parameters,
        case
            when n_experts <> '' then 2 * try_cast(expert_b as double) * 1e9
            when marked_total <> ''
                then try_cast(marked_active as double) * (case marked_active_unit when 'm' then 1e6 else 1e9 end)
            when per_token_b <> '' then try_cast(per_token_b as double) * 1e9
            when active_only_b <> '' then try_cast(active_only_b as double) * 1e9
        end as moe_active_parameters,
        case
            when n_experts <> '' then n_experts || 'x' || expert_b || 'b (top-2 of ' || n_experts || ' experts assumed)'
            when marked_total <> ''
                then marked_total || marked_total_unit || ' total, ' || marked_active || marked_active_unit || ' active'
            when per_token_b <> '' then per_token_b || 'b active, ' || experts_e || ' experts'
            when active_only_b <> '' then active_only_b || 'b active'
            when dense_b <> '' then dense_b || 'b'
        end as name_reading
    from name_markers
    where n_experts <> '' or marked_total <> '' or per_token_b <> '' or active_only_b <> '' or dense_b <> ''

),

evidence as (

    select
        ids.model_id,
        disclosed.total_parameters as disclosed_total,
        disclosed.active_parameters as disclosed_active,
        disclosed.architecture as disclosed_architecture,
        disclosed.source_url as disclosed_url,
        configs.total_parameters as config_total,
        configs.active_parameters as config_active,
        coalesce(configs.says_moe, false) as config_says_moe,
        coalesce(configs.says_dense, false) as config_says_dense,
        configs.repo_id as config_repo_id,
        hub.total_parameters as hub_total,
        hub.active_parameters as hub_active,
        hub.repo_id,
        hub.model_type,
        hub.moe_model_type,
        coalesce(hub.flags_moe or hub.num_experts > 1 or hub.moe_by_type, false) as hub_says_moe,
        coalesce(hub.dense_by_type, false) as hub_says_dense,
        from_name.total_parameters as name_total,
        from_name.moe_active_parameters as name_active,
        from_name.name_reading
    from model_ids as ids
    left join disclosed on ids.model_id = disclosed.model_id
    left join configs on ids.model_id = configs.model_id
    left join hub on ids.model_id = hub.model_id
    left join from_name on ids.model_id = from_name.model_id
    where
        disclosed.model_id is not null
        or configs.total_parameters > 0
        or hub.total_parameters > 0
        or from_name.model_id is not null

),

classified as (

    select
        *,
        case
            when disclosed_architecture = 'moe' or disclosed_active < disclosed_total * 0.999 then true
            when disclosed_architecture = 'dense' then false
            when config_says_moe then true
            when config_says_dense then false
            when hub_says_moe or name_active > 0 then true
            when hub_says_dense then false
        end as is_moe,
        case
            when disclosed_architecture = 'moe' or disclosed_active < disclosed_total * 0.999 then 'disclosed'
            when disclosed_architecture = 'dense' then 'disclosed'
            when config_says_moe or config_says_dense then 'config.json'
            when hub_says_moe then 'Hub config (' || coalesce(moe_model_type, model_type, 'expert count') || ')'
            when name_active > 0 then 'name'
            when hub_says_dense then 'Hub config (' || model_type || ')'
        end as architecture_evidence,
        coalesce(disclosed_total, config_total, hub_total, name_total) as known_total,
        case
            when disclosed_total > 0 then 'disclosed'
            when config_total > 0 then 'config'
            when hub_total > 0 then 'huggingface'
            when name_total > 0 then 'model_name'
        end as known_total_source,
        case
            when disclosed_active > 0 then disclosed_active
            when config_active > 0 then config_active
            when hub_active > 0 then hub_active
            when name_active > 0 then name_active
        end as known_active,
        case
            when disclosed_active > 0 then 'disclosed'
            when config_active > 0 or hub_active > 0 then 'config'
            when name_active > 0 then 'model_name'
        end as known_active_source
    from evidence

),

scaled as (

    {#- log10 of the total: known, or (only an active count known, as "a13b") the total that
        active count implies under the prior: log10 t = (log10 a - intercept) / (1 + b1). -#}
    select
        classified.*,
        case
            when classified.known_total > 0 then log10(classified.known_total)
            when classified.known_active > 0
                then (log10(classified.known_active) - fraction_fit.intercept) / (1 + fraction_fit.b1)
        end as log10_total
    from classified
    cross join active_fraction as fraction_fit

),

with_prior as (

    {#- The prior's fraction and its 90% prediction interval at that total. -#}
    select
        scaled.*,
        fraction_fit.n as prior_n,
        fraction_fit.intercept as prior_intercept,
        fraction_fit.b1 as prior_slope,
        fraction_fit.residual_sd as prior_residual_sd,
        {{ ols_predict('fraction_fit', 'scaled.log10_total', '0.0', '0.0') }} as log10_fraction,
        {{ ols_se('fraction_fit', 'scaled.log10_total', '0.0', '0.0') }} * fraction_fit.t90 as log10_fraction_half_width
    from scaled
    cross join active_fraction as fraction_fit

),

sized as (

    select
        model_id,
        is_moe,
        architecture_evidence,
        coalesce(known_total, pow(10, log10_total)) as total_parameters,
        coalesce(known_total_source, 'active_fraction_prior') as total_source,
        case
            when known_active > 0 then least(known_active, coalesce(known_total, known_active))
            when is_moe then known_total * least(pow(10, log10_fraction), 1.0)
            else known_total
        end as active_parameters,
        case
            when known_active > 0 then known_active_source
            when is_moe then 'active_fraction_prior'
            when is_moe is null then 'total (architecture unknown)'
            else 'total (dense)'
        end as active_source,
        case
            when known_active > 0 or not coalesce(is_moe, false) then 0.0
            else log10_fraction_half_width
        end as active_log10_half_width,
        known_total,
        log10_fraction,
        log10_fraction_half_width,
        prior_n,
        prior_intercept,
        prior_slope,
        disclosed_url,
        repo_id,
        config_repo_id,
        name_reading,
        known_active,
        known_total_source
    from with_prior
    where log10_total is not null

),

final as (

    select
        model_id,
        total_parameters,
        total_source,
        active_parameters,
        active_parameters / pow(10, active_log10_half_width) as active_low,
        least(active_parameters * pow(10, active_log10_half_width), total_parameters) as active_high,
        active_source,
        is_moe,
        architecture_evidence,
        case total_source
            when 'disclosed' then {{ fmt_sci('total_parameters') }} || ' total (disclosed)'
            when 'config' then {{ fmt_sci('total_parameters') }} || ' total (counted from config.json, ' || config_repo_id || ')'
            when 'huggingface' then {{ fmt_sci('total_parameters') }} || ' total (Hub safetensors count, ' || repo_id || ')'
            when 'model_name' then {{ fmt_sci('total_parameters') }} || ' total (name: ' || name_reading || ')'
            else 'total ' || {{ fmt_sci('total_parameters') }} || ' implied by the active count and the prior'
        end
        || case
            when is_moe then ', mixture of experts (' || architecture_evidence || ')'
            when is_moe is null then ', architecture not known (total used as active)'
            else ', dense'
        end
        || case active_source
            when 'disclosed' then '; ' || {{ fmt_sci('active_parameters') }} || ' active (disclosed)'
            when 'config' then '; ' || {{ fmt_sci('active_parameters') }} || ' active (counted from config.json)'
            when 'model_name' then '; ' || {{ fmt_sci('active_parameters') }} || ' active (name: ' || name_reading || ')'
            when 'active_fraction_prior'
                then
                    '; active = total x ' || printf('%.1f', 100 * pow(10, log10_fraction)) || '% = '
                    || {{ fmt_sci('active_parameters') }} || ' (90% ' || {{ fmt_sci('active_parameters / pow(10, active_log10_half_width)') }}
                    || '..' || {{ fmt_sci('active_parameters * pow(10, active_log10_half_width)') }}
                    || '; active-fraction prior log10(active/total) = ' || printf('%.2f', prior_intercept)
                    || ' ' || printf('%+.3f', prior_slope) || ' x log10(total), fitted on '
                    || cast(prior_n as varchar) || ' MoE models with disclosed counts)'
            else ''
        end as size_reading,
        case
            when total_source = 'disclosed' or active_source = 'disclosed' then disclosed_url
            when total_source = 'config' or active_source = 'config' then 'https://huggingface.co/' || config_repo_id
            when repo_id is not null then 'https://huggingface.co/' || repo_id
            else 'model name ' || model_id
        end as size_source
    from sized

)

select * from final
