{#- The dataset: one row per tracked model with an estimate. The primary estimate, its
    interval, p(>1e25) and classification; every other method in alternative_methods; and
    the reviewer's decision applied LAST, so nothing automated can override it. A decision
    that a new estimate contradicts is flagged for re-review, never moved. -#}
with

identified as (

    select * from {{ ref('int_models_identified') }}

),

ranked as (

    select * from {{ ref('int_estimates_ranked') }}

),

decisions as (

    select * from {{ ref('int_review_decisions_latest') }}

),

primary_estimates as (

    select * from ranked
    where method_rank = 1

),

alternatives as (

    select
        model_id,
        string_agg(
            method || ': ' || {{ fmt_sci('training_flop') }} || ' (' || confidence || ')',
            '; ' order by method_rank
        ) as alternative_methods,
        max(evidence_date) as last_evidence_date
    from ranked
    group by model_id

),

parameters as (

    select
        model_id,
        arg_min(parameters, method_rank) as parameters,
        arg_min(parameter_source, method_rank) as parameter_source
    from ranked
    where
        parameters > 0
        and not ({{ var('exclude_epoch_values') }} and parameter_source = 'epoch')
    group by model_id

),

estimated as (

    select
        identified.model_id,
        identified.model_name as model,
        identified.developer,
        identified.release_date,
        parameters.parameters,
        parameters.parameter_source,
        primary_estimates.training_flop,
        primary_estimates.flop_low,
        primary_estimates.flop_high,
        {{ p_above_threshold('primary_estimates.training_flop', 'primary_estimates.flop_low', 'primary_estimates.flop_high') }}
            as p_above_1e25,
        primary_estimates.confidence,
        primary_estimates.method as estimation_method,
        alternatives.alternative_methods,
        primary_estimates.reasoning,
        primary_estimates.sources,
        alternatives.last_evidence_date,
        identified.first_seen_date
    from identified
    inner join primary_estimates on identified.model_id = primary_estimates.model_id
    left join alternatives on identified.model_id = alternatives.model_id
    left join parameters on identified.model_id = parameters.model_id

),

classified as (

    select
        estimated.*,
        {{ classify_threshold('flop_low', 'flop_high', 'p_above_1e25') }} as automated_classification,
        case estimated.confidence
            when 'high'
                then
                    'Direct evidence: ' || replace(estimated.estimation_method, '_', ' ')
                    || ' from disclosed or confidently estimated figures'
            when 'medium'
                then
                    'Indirect evidence: ' || replace(estimated.estimation_method, '_', ' ')
                    || ' with assumptions (utilisation, price, or Epoch "Likely")'
            else
                'Inference: ' || replace(estimated.estimation_method, '_', ' ')
                || ' with a wide interval; a reviewer should check it'
        end as confidence_explanation
    from estimated

),

{%- set estimate_changed -%}
    coalesce(
        abs(ln(classified.training_flop / decisions.shown_training_flop)) > 0.001
        or abs(ln(classified.flop_low / decisions.shown_flop_low)) > 0.001
        or abs(ln(classified.flop_high / decisions.shown_flop_high)) > 0.001,
        true
    )
{%- endset %}

decided as (

    select
        classified.*,
        decisions.decision,
        decisions.reason as decision_reason,
        decisions.reviewer,
        decisions.decided_at,
        {#- Contradicted: the estimate changed since the reviewer saw it (central value or
            either end by more than 0.1%, or what was shown is not recorded) and its interval
            now lies wholly on the other side. An interval the reviewer saw and overruled is
            their decision, not a contradiction. -#}
        case
            when
                decisions.decision = 'n' and classified.flop_low >= {{ var('flop_threshold') }}
                and {{ estimate_changed }}
                then 'verified below 1e25, but the new estimate''s interval is wholly above it'
            when
                decisions.decision = 'y' and classified.flop_high < {{ var('flop_threshold') }}
                and {{ estimate_changed }}
                then 'verified above 1e25, but the new estimate''s interval is wholly below it'
        end as review_flag
    from classified
    left join decisions on classified.model_id = decisions.model_id

),

final as (

    select
        model_id,
        model,
        developer,
        release_date,
        parameters,
        parameter_source,
        training_flop,
        flop_low,
        flop_high,
        p_above_1e25,
        confidence,
        confidence_explanation,
        estimation_method,
        alternative_methods,
        case
            when decision = 'n' then 'high_confidence_below_1e25'
            when decision = 'y' then 'high_confidence_above_1e25'
            else automated_classification
        end as threshold_classification,
        case
            when review_flag is not null then 'needs_re_review'
            when decision = 'y' then 'confirmed_above_1e25'
            when decision = 'n' then 'confirmed_below_1e25'
            when {{ is_candidate('automated_classification') }} then 'candidate'
            else 'below_threshold'
        end as status,
        reasoning,
        sources,
        case when decision is not null then 'y' else 'n' end as verified,
        case
            when decision is null then null
            else
                decision_reason || ' (' || reviewer || ', ' || strftime(decided_at, '%Y-%m-%d') || ')'
                || coalesce(' [re-review: ' || review_flag || ']', '')
        end as notes,
        coalesce(last_evidence_date, release_date) as last_updated,
        automated_classification,
        decision,
        reviewer,
        decided_at,
        review_flag,
        case
            when decision = 'y' then 'candidates'
            when decision = 'n' then 'below'
            when {{ is_candidate('automated_classification') }} then 'candidates'
            else 'below'
        end as dataset_file,
        coalesce(decision = 'y', false) as in_staging_file,
        first_seen_date
    from decided

)

select * from final
