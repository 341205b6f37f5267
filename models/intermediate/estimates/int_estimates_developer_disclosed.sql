{#- Method: the developer (or its paper) states the training compute. A stated figure is
    rounded and may leave out stages, so it gets a narrow but real interval (x/1.5 .. x*1.5). -#}
with

specs as (

    select * from {{ ref('int_model_specs_joined') }}
    where disclosed_training_flop > 0

),

final as (

    select
        model_id,
        'developer_disclosed' as method,
        disclosed_training_flop as training_flop,
        {{ flop_low('disclosed_training_flop', 1.5) }} as flop_low,
        {{ flop_high('disclosed_training_flop', 1.5) }} as flop_high,
        'high' as confidence,
        'Developer-disclosed compute: ' || {{ fmt_sci('disclosed_training_flop') }}
        || ' FLOP as stated; interval x/1.5..x1.5 for rounding and unstated stages' as reasoning,
        source_url as sources,
        evidence_date,
        total_parameters as parameters,
        'disclosed' as parameter_source
    from specs

)

select * from final
