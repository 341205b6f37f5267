{#- How much wider the 90% interval of the methods whose interval is assumed rather than
    measured must be to cover Epoch's figures as often as it claims. Hardware and training
    cost assume utilisation 0.3..0.5 (+-0.11 dex), but hours, chip counts and precision are
    rarely known that well: on the shared data their estimates missed Epoch's figures by up
    to 0.47 dex and only half fell inside. Family lineage widens its predecessor's interval by
    an assumed sigma. For each estimate of these methods with an Epoch figure, the miss is
    measured in units of its own interval's half-width on the side the figure fell
    (|log10(estimate / Epoch)| / log10(estimate / low) or log10(high / estimate)); a model's
    widening factor is the leave-one-out conformal 90% quantile of the other models' misses
    in its group (hardware and training cost share one: both are accelerator time x peak x
    utilisation), never below 1 (an interval is never narrowed here), and 1 when fewer than
    var('calibration_min_misses') others were measured. One row per model_id and method. -#}
{%- set calibrated = [
    ('hardware_estimates', 'int_estimates_hardware', 'accelerator_time'),
    ('training_cost_estimates', 'int_estimates_training_cost', 'accelerator_time'),
    ('lineage_estimates', 'int_estimates_lineage', 'family_lineage'),
] -%}
with

{% for cte, model, group in calibrated %}
    {{ cte }} as (

        select * from {{ ref(model) }}

    ),

{% endfor %}
epoch_compute as (

    select * from {{ ref('int_epoch_compute_latest') }}

),

estimates as (

    {% for cte, model, group in calibrated %}
        select
            model_id,
            method,
            '{{ group }}' as calibration_group,
            training_flop,
            flop_low,
            flop_high
        from {{ cte }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

misses as (

    {#- One miss per model and group (a model with both a hardware and a training-cost
        estimate counts once, by its hardware estimate). -#}
    select
        estimates.model_id,
        estimates.calibration_group,
        abs(log10(estimates.training_flop / epoch.training_compute_flop))
        / case
            when estimates.training_flop >= epoch.training_compute_flop
                then log10(estimates.training_flop / estimates.flop_low)
            else log10(estimates.flop_high / estimates.training_flop)
        end as miss
    from estimates
    inner join epoch_compute as epoch on estimates.model_id = epoch.model_id
    where
        epoch.training_compute_flop > 0
        and estimates.flop_low < estimates.training_flop
        and estimates.training_flop < estimates.flop_high
    qualify row_number() over (
        partition by estimates.model_id, estimates.calibration_group order by estimates.method
    ) = 1

),

ranked_misses as (

    select
        *,
        row_number() over (partition by calibration_group order by miss, model_id) as miss_rank
    from misses

),

spread as (

    select
        calibration_group,
        count(*) as n,
        list(miss order by miss, model_id) as sorted_misses
    from ranked_misses
    group by calibration_group

),

measured as (

    select
        estimates.model_id,
        estimates.method,
        estimates.calibration_group,
        spread.n - case when own.model_id is null then 0 else 1 end as misses_n,
        {{ loo_conformal_quantile('spread.sorted_misses', 'spread.n', 'own.miss_rank') }} as miss_quantile
    from estimates
    left join spread on estimates.calibration_group = spread.calibration_group
    left join ranked_misses as own
        on estimates.model_id = own.model_id and estimates.calibration_group = own.calibration_group

),

final as (

    select
        model_id,
        method,
        calibration_group,
        coalesce(misses_n, 0) as misses_n,
        miss_quantile,
        case
            when coalesce(misses_n, 0) < {{ var('calibration_min_misses') }} then 1.0
            else greatest(1.0, miss_quantile)
        end as widen_factor
    from measured

)

select * from final
