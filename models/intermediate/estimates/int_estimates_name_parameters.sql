{#- Method: the parameters a model uses (int_model_parameters_sized: disclosed, counted from its
    config, read from its name or the Hub's count; a mixture of experts by its ACTIVE count, never
    its total) x the tokens it was most likely trained on (int_model_tokens_predicted: the
    developer's corpus for the line, else the developer's newest, else a regression on Epoch's
    language models), 6 FLOP per parameter per token. The 90% interval adds, in quadrature
    (log10 units), the tokens' interval, the active count's (the active-fraction prior's, where
    no count is stated) and operation counting's own x/1.5..x1.5. For tracked models that
    operation counting does not cover (it needs disclosed tokens and an exact active count). -#}
with

sized as (

    select * from {{ ref('int_model_parameters_sized') }}

),

tokens as (

    select * from {{ ref('int_model_tokens_predicted') }}

),

operation_counted as (

    select * from {{ ref('int_estimates_operation_counting') }}

),

identified_models as (

    select * from {{ ref('int_models_identified') }}

),

combined as (

    select
        sized.model_id,
        sized.total_parameters,
        sized.total_source,
        sized.active_parameters,
        sized.active_source,
        sized.size_reading,
        sized.size_source,
        tokens.training_tokens,
        tokens.token_source,
        tokens.tokens_reading,
        tokens.tokens_source_url,
        coalesce(models.release_date, models.first_seen_date) as evidence_date,
        log10(sized.active_high / sized.active_parameters) as active_half_width,
        tokens.log10_half_width as tokens_half_width,
        sqrt(
            pow(tokens.log10_half_width, 2) + pow(log10(sized.active_high / sized.active_parameters), 2)
            + pow(log10(1.5), 2)
        ) as half_width
    from sized
    inner join tokens on sized.model_id = tokens.model_id
    inner join identified_models as models on sized.model_id = models.model_id
    where
        sized.active_parameters > 0
        and sized.model_id not in (select operation_counted.model_id from operation_counted)

),

final as (

    select
        model_id,
        'name_parameters' as method,
        {{ six_n_d('active_parameters', 'training_tokens') }} as training_flop,
        {{ six_n_d('active_parameters', 'training_tokens') }} / pow(10, half_width) as flop_low,
        {{ six_n_d('active_parameters', 'training_tokens') }} * pow(10, half_width) as flop_high,
        case when half_width <= 0.5 then 'medium' else 'low' end as confidence,
        'Parameters: ' || size_reading || '. Tokens: ' || tokens_reading || '. 6 x '
        || {{ fmt_sci('active_parameters') }} || ' x ' || {{ fmt_sci('training_tokens') }} || ' = '
        || {{ fmt_sci(six_n_d('active_parameters', 'training_tokens')) }} || ' FLOP; 90% interval x/'
        || printf('%.1f', pow(10, half_width)) || '..x' || printf('%.1f', pow(10, half_width)) || ' (tokens +-'
        || printf('%.2f', tokens_half_width) || ', active count +-' || printf('%.2f', active_half_width)
        || ', 6ND +-0.18 dex, in quadrature)' as reasoning,
        size_source || coalesce(' ; ' || tokens_source_url, '')
        || case when token_source = 'regression' then ' ; https://epoch.ai/data/ai-models (token calibration)' else '' end
            as sources,
        evidence_date,
        total_parameters as parameters,
        total_source as parameter_source,
        active_parameters,
        training_tokens,
        active_source,
        token_source
    from combined

)

select * from final
