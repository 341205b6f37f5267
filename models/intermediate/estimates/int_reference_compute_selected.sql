{#- Models whose compute is known from direct evidence (a disclosure, operation counting,
    hardware, cost, or Epoch's figure), one row each with the most trustworthy value.
    These are the reference points benchmark regressions and family lineage start from.
    Epoch figures are always references here; regressions leave the scored model out, so
    `exclude_epoch_values` never lets a model's own figure reach its own estimate. -#}
{%- set direct_methods = [
    'int_estimates_developer_disclosed', 'int_estimates_operation_counting',
    'int_estimates_hardware', 'int_estimates_training_cost'
] -%}
with

{% for m in direct_methods %}
    {{ m }} as (

        select * from {{ ref(m) }}

    ),

{% endfor %}
epoch_compute as (

    select * from {{ ref('int_epoch_compute_latest') }}

),

epoch_as_reference as (

    select
        model_id,
        'epoch_reference' as method,
        training_compute_flop as training_flop,
        flop_low,
        flop_high,
        tracker_confidence as confidence,
        evidence_date
    from epoch_compute
    where epoch_confidence in ('confident', 'likely', 'speculative')

),

direct as (

    {% for m in direct_methods %}
        select
            model_id,
            method,
            training_flop,
            flop_low,
            flop_high,
            confidence,
            evidence_date
        from {{ m }}
        union all
    {% endfor %}
    select * from epoch_as_reference

),

final as (

    select
        model_id,
        method as reference_method,
        training_flop,
        flop_low,
        flop_high,
        log10(training_flop) as log10_flop,
        {{ log10_sigma('flop_low', 'flop_high') }} as log10_sigma,
        confidence,
        evidence_date
    from direct
    where training_flop > 0
    qualify row_number() over (
        partition by model_id order by {{ method_priority('method', 'confidence') }}, training_flop desc
    ) = 1

)

select * from final
