{#- Method: hardware, accelerators x dense peak FLOP/s at the training precision x time x
    utilisation. Utilisation 0.4 central, 0.3..0.5 as Epoch assumes for large runs. -#}
with

specs as (

    select * from {{ ref('int_model_specs_joined') }}
    where hardware_count > 0 and training_time_hours > 0 and hardware_type is not null

),

hardware as (

    select * from {{ ref('hardware_specs') }}

),

peaks as (

    select
        specs.*,
        case
            when specs.training_precision = 'fp8' then coalesce(hw.peak_flops_fp8, hw.peak_flops_bf16, hw.peak_flops_fp16)
            when specs.training_precision = 'fp16' then coalesce(hw.peak_flops_fp16, hw.peak_flops_bf16)
            when specs.training_precision = 'tf32' then coalesce(hw.peak_flops_tf32, hw.peak_flops_fp32)
            when specs.training_precision = 'fp32' then hw.peak_flops_fp32
            else coalesce(hw.peak_flops_bf16, hw.peak_flops_fp16, hw.peak_flops_fp32)
        end as peak_flops,
        coalesce(specs.training_precision, 'bf16 (assumed)') as precision_used
    from specs
    inner join hardware as hw on specs.hardware_type = hw.hardware_type

),

final as (

    select
        model_id,
        'hardware' as method,
        hardware_count * peak_flops * training_time_hours * 3600 * {{ var('utilization_central') }} as training_flop,
        hardware_count * peak_flops * training_time_hours * 3600 * {{ var('utilization_low') }} as flop_low,
        hardware_count * peak_flops * training_time_hours * 3600 * {{ var('utilization_high') }} as flop_high,
        'medium' as confidence,
        'Hardware: ' || cast(hardware_count as varchar) || ' x ' || hardware_type || ' at '
        || {{ fmt_sci('peak_flops') }} || ' FLOP/s (' || precision_used || ') x '
        || cast(round(training_time_hours) as varchar) || ' h x utilisation '
        || cast({{ var('utilization_central') }} as varchar) || ' ('
        || cast({{ var('utilization_low') }} as varchar) || '-' || cast({{ var('utilization_high') }} as varchar)
        || ') = ' || {{ fmt_sci('hardware_count * peak_flops * training_time_hours * 3600 * ' ~ var('utilization_central')) }}
        || ' FLOP' as reasoning,
        source_url as sources,
        evidence_date,
        total_parameters as parameters,
        'disclosed' as parameter_source
    from peaks
    where peak_flops > 0

)

select * from final
