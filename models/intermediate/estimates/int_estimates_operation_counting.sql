{#- Method: operation counting, 6 x active parameters x training tokens, from disclosed tokens
    and an exact active count (disclosed, or counted from config.json; int_model_parameters_sized).
    6ND leaves out attention and counts one epoch, so its 90% interval is x/1.5..x1.5.
    Mixture-of-experts models count ACTIVE parameters only. -#}
with

specs as (

    select * from {{ ref('int_model_specs_joined') }}
    where training_tokens > 0

),

sized as (

    select * from {{ ref('int_model_parameters_sized') }}
    where active_source in ('disclosed', 'config')

),

counted as (

    select
        specs.model_id,
        specs.training_tokens,
        specs.source_url,
        specs.evidence_date,
        sized.total_parameters,
        sized.active_parameters,
        sized.active_source,
        sized.is_moe
    from specs
    inner join sized on specs.model_id = sized.model_id

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
        || case when is_moe then ' active' else '' end || ' parameters x '
        || {{ fmt_sci('training_tokens') }} || ' tokens = '
        || {{ fmt_sci(six_n_d('active_parameters', 'training_tokens')) }} || ' FLOP'
        || case when is_moe then ' (MoE: ' || {{ fmt_sci('total_parameters') }} || ' total)' else '' end
        || case when active_source = 'config' then '; active count from config.json' else '' end
            as reasoning,
        source_url as sources,
        evidence_date,
        total_parameters as parameters,
        'disclosed' as parameter_source,
        active_parameters,
        training_tokens
    from counted

)

select * from final
