{#- Every method's estimate for every model, ranked: rank 1 is the primary estimate (the
    most trustworthy method available, see the method_priority macro); the others are kept
    as alternatives. One row per model_id and method; every method model already holds
    tracked models only (int_models_identified), so this is a union, the measured widening of
    the methods whose interval is assumed (int_estimate_misses_measured), and a window. -#}
{%- set methods = [
    'int_estimates_developer_disclosed', 'int_estimates_epoch', 'int_estimates_operation_counting',
    'int_estimates_hardware', 'int_estimates_training_cost', 'int_estimates_lineage',
    'int_estimates_name_parameters', 'int_estimates_benchmark'
] -%}
with

{% for m in methods %}
    {{ m }} as (

        select * from {{ ref(m) }}

    ),

{% endfor %}
misses_measured as (

    select * from {{ ref('int_estimate_misses_measured') }}

),

unioned as (

    {% for m in methods %}
        select
            model_id,
            method,
            training_flop,
            flop_low,
            flop_high,
            confidence,
            reasoning,
            sources,
            evidence_date,
            parameters,
            parameter_source
        from {{ m }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

widened as (

    {#- Each side of the interval stretched in log space by the factor, about the central figure. -#}
    select
        unioned.model_id,
        unioned.method,
        unioned.training_flop,
        case
            when misses.widen_factor > 1
                then unioned.training_flop * pow(unioned.flop_low / unioned.training_flop, misses.widen_factor)
            else unioned.flop_low
        end as flop_low,
        case
            when misses.widen_factor > 1
                then unioned.training_flop * pow(unioned.flop_high / unioned.training_flop, misses.widen_factor)
            else unioned.flop_high
        end as flop_high,
        unioned.confidence,
        unioned.reasoning,
        unioned.sources,
        unioned.evidence_date,
        unioned.parameters,
        unioned.parameter_source,
        misses.widen_factor,
        misses.calibration_group,
        misses.misses_n
    from unioned
    left join misses_measured as misses on unioned.model_id = misses.model_id and unioned.method = misses.method

),

explained as (

    select
        model_id,
        method,
        training_flop,
        flop_low,
        flop_high,
        confidence,
        reasoning
        || case
            when widen_factor > 1
                then
                    '; 90% interval widened x' || printf('%.2f', widen_factor) || ' to ' || {{ fmt_sci('flop_low') }}
                    || '..' || {{ fmt_sci('flop_high') }} || ' (the 90% quantile of how far '
                    || replace(calibration_group, '_', ' ') || ' estimates missed Epoch''s figures, '
                    || cast(misses_n as varchar) || ' other models)'
            else ''
        end as reasoning,
        sources,
        evidence_date,
        parameters,
        parameter_source
    from widened

),

valid as (

    select * from explained
    where
        training_flop > 0 and flop_low > 0 and flop_high >= flop_low
        and training_flop between flop_low and flop_high

),

final as (

    select
        valid.*,
        {{ method_priority('method', 'confidence') }} as method_priority,
        row_number() over (
            partition by valid.model_id
            order by {{ method_priority('method', 'confidence') }}, valid.flop_high / valid.flop_low, valid.method
        ) as method_rank
    from valid

)

select * from final
