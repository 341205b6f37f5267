{#- Method: operation counting, 6 x active parameters x training tokens, from disclosed
    architecture and tokens. 6ND leaves out attention and counts one epoch, so its 90%
    interval is x/1.5..x1.5. Mixture-of-experts models count ACTIVE parameters only. -#}
with

specs as (

    select * from {{ ref('int_model_specs_joined') }}
    where active_parameters > 0 and training_tokens > 0

),

final as (

    select
        model_id,
        'operation_counting' as method,
        {{ six_n_d('active_parameters', 'training_tokens') }} as training_flop,
        {{ flop_low(six_n_d('active_parameters', 'training_tokens'), 1.5) }} as flop_low,
        {{ flop_high(six_n_d('active_parameters', 'training_tokens'), 1.5) }} as flop_high,
        'high' as confidence,
        'Operation counting: 6 x ' || {{ fmt_sci('active_parameters') }}
        || case when architecture = 'moe' then ' active' else '' end || ' parameters x '
        || {{ fmt_sci('training_tokens') }} || ' tokens = '
        || {{ fmt_sci(six_n_d('active_parameters', 'training_tokens')) }} || ' FLOP'
        || case when architecture = 'moe' then ' (MoE: ' || {{ fmt_sci('total_parameters') }} || ' total)' else '' end
            as reasoning,
        source_url as sources,
        evidence_date,
        total_parameters as parameters,
        'disclosed' as parameter_source
    from specs

)

select * from final
