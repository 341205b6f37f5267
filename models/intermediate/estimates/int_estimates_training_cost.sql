{#- Method: disclosed training cost. Dollars / price per accelerator-hour = accelerator-hours,
    x dense peak x utilisation (0.3..0.5). Needs a price for the accelerator (seed). -#}
with

specs as (

    select * from {{ ref('int_model_specs_joined') }}
    where training_cost_usd > 0 and hardware_type is not null

),

prices as (

    select * from {{ ref('accelerator_prices') }}

),

hardware as (

    select * from {{ ref('hardware_specs') }}

),

priced as (

    select
        specs.*,
        prices.usd_per_hour,
        prices.source_url as price_source,
        case
            when specs.training_precision = 'fp8' then coalesce(hw.peak_flops_fp8, hw.peak_flops_bf16)
            else coalesce(hw.peak_flops_bf16, hw.peak_flops_fp16)
        end as peak_flops,
        specs.training_cost_usd / prices.usd_per_hour as accelerator_hours
    from specs
    inner join prices on specs.hardware_type = prices.hardware_type
    inner join hardware as hw on specs.hardware_type = hw.hardware_type

),

final as (

    select
        model_id,
        'training_cost' as method,
        accelerator_hours * 3600 * peak_flops * {{ var('utilization_central') }} as training_flop,
        accelerator_hours * 3600 * peak_flops * {{ var('utilization_low') }} as flop_low,
        accelerator_hours * 3600 * peak_flops * {{ var('utilization_high') }} as flop_high,
        'medium' as confidence,
        'Training cost: $' || cast(round(training_cost_usd) as bigint) || ' / $' || cast(usd_per_hour as varchar)
        || ' per ' || hardware_type || '-hour = ' || {{ fmt_sci('accelerator_hours') }} || ' accelerator-hours x '
        || {{ fmt_sci('peak_flops') }} || ' FLOP/s x utilisation ' || cast({{ var('utilization_central') }} as varchar)
        || ' = ' || {{ fmt_sci('accelerator_hours * 3600 * peak_flops * ' ~ var('utilization_central')) }} || ' FLOP'
            as reasoning,
        source_url || ' ; ' || price_source as sources,
        evidence_date,
        total_parameters as parameters,
        'disclosed' as parameter_source
    from priced
    where peak_flops > 0

)

select * from final
