{#- Method: parameters read from the model's name (or counted exactly on the Hugging Face Hub
    when the Hub has the weights), times training tokens predicted for a
    model of that size and year. Names: "70b" (dense), "8x22b" (mixture of 8 experts of 22B:
    total 8 x 22B, active 2 x 22B, assuming top-2 routing as in Mixtral), "235b-a22b"
    (235B total, 22B active). Tokens come from a regression calibrated on Epoch's language
    models with both parameters and dataset size known:
        log10(tokens) = a + b1 * log10(total parameters) + b2 * (year - 2023)
    with its 90% prediction interval; a model in the calibration set is left out of its own
    fit. Only for models without disclosed specs. -#}
with

identified_models as (

    select * from {{ ref('int_models_identified') }}

),

model_specs as (

    select * from {{ ref('int_model_specs_joined') }}

),

hub_models as (

    select * from {{ ref('stg_huggingface__models') }}

),

names as (

    select * from {{ ref('int_model_names_normalized') }}

),

epoch_models as (

    select * from {{ ref('stg_epoch__models') }}

),

models as (

    select identified.*
    from identified_models as identified
    where identified.model_id not in (
        select specs.model_id from model_specs as specs
        where specs.active_parameters > 0
    )

),

parsed as (

    select
        model_id,
        release_date,
        first_seen_date,
        regexp_extract(model_id, '(?:^|-)(\d+)x(\d+(?:\.\d+)?)b(?:-|$)', 1) as n_experts,
        regexp_extract(model_id, '(?:^|-)(\d+)x(\d+(?:\.\d+)?)b(?:-|$)', 2) as expert_b,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)b-a(\d+(?:\.\d+)?)b(?:-|$)', 1) as moe_total_b,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)b-a(\d+(?:\.\d+)?)b(?:-|$)', 2) as moe_active_b,
        regexp_extract(model_id, '(?:^|-)(\d+(?:\.\d+)?)b(?:-|$)', 1) as dense_b
    from models

),

from_name as (

    select
        model_id,
        case
            when n_experts <> '' then cast(n_experts as double) * cast(expert_b as double) * 1e9
            when moe_total_b <> '' then cast(moe_total_b as double) * 1e9
            when dense_b <> '' then cast(dense_b as double) * 1e9
        end as total_parameters,
        case
            when n_experts <> '' then 2 * cast(expert_b as double) * 1e9
            when moe_total_b <> '' then cast(moe_active_b as double) * 1e9
            when dense_b <> '' then cast(dense_b as double) * 1e9
        end as active_parameters,
        case
            when n_experts <> '' then n_experts || 'x' || expert_b || 'B mixture (top-2 active assumed)'
            when moe_total_b <> '' then moe_total_b || 'B total, ' || moe_active_b || 'B active'
            when dense_b <> '' then dense_b || 'B dense'
        end as size_reading
    from parsed
    where n_experts <> '' or moe_total_b <> '' or dense_b <> ''

),

hub as (

    {#- Exact counts from the Hub's safetensors metadata; quantised repos pack weights, so skip them. -#}
    select
        names.model_id,
        median(hub.total_parameters) as total_parameters,
        median(hub.active_parameters) as active_parameters,
        bool_or(coalesce(hub.is_moe, false)) as is_moe,
        min(hub.repo_id) as repo_id
    from hub_models as hub
    inner join names
        on names.source_name = 'huggingface' and hub.repo_id = names.raw_name
    where hub.total_parameters > 0 and hub.quantization_method is null
    group by names.model_id

),

sized as (

    {#- The Hub's exact count wins over the name; a mixture's active count needs the Hub's
        computed figure or the name's a-suffix / NxM reading. -#}
    select
        models.model_id,
        coalesce(models.release_date, models.first_seen_date) as model_date,
        coalesce(hub.total_parameters, from_name.total_parameters) as total_parameters,
        case
            when hub.active_parameters > 0 then hub.active_parameters
            when hub.total_parameters > 0 and not hub.is_moe then hub.total_parameters
            else from_name.active_parameters
        end as active_parameters,
        case
            when hub.total_parameters > 0
                then
                    'Hub safetensors count ' || {{ fmt_sci('hub.total_parameters') }} || ' (' || hub.repo_id || ')'
                    || case when hub.active_parameters > 0 then ', ' || {{ fmt_sci('hub.active_parameters') }} || ' active' else '' end
            else from_name.size_reading
        end as size_reading,
        case when hub.total_parameters > 0 then 'huggingface' else 'model_name' end as parameter_origin,
        hub.repo_id
    from models
    left join hub on models.model_id = hub.model_id
    left join from_name on models.model_id = from_name.model_id
    where
        coalesce(models.release_date, models.first_seen_date) is not null
        and coalesce(hub.total_parameters, from_name.total_parameters) > 0

),

epoch_names as (

    select
        raw_name,
        model_id
    from names
    where source_name = 'epoch'

),

calibration as (

    {#- One point per model: Epoch language models with parameters and tokens known. -#}
    select
        epoch_names.model_id,
        log10(epoch.parameters) as x,
        date_diff('day', date '2023-01-01', epoch.publication_date) / 365.25 as z,
        log10(epoch.training_dataset_size) as y
    from epoch_models as epoch
    inner join epoch_names on epoch.model_name = epoch_names.raw_name
    where
        epoch.parameters > 1e8
        and epoch.training_dataset_size > 1e9
        and epoch.publication_date >= date '2019-01-01'
        and epoch.domain ilike '%language%'
        and {{ evidence_before_as_of('epoch.publication_date') }}
    qualify row_number() over (
        partition by epoch_names.model_id order by epoch.data_date desc nulls last, epoch.captured_at desc
    ) = 1

),

totals as (

    select {{ ols_sums('x', 'z', '0.0', 'y') }} from calibration

),

loo_sums as (

    select
        sized.*,
        log10(sized.total_parameters) as x,
        date_diff('day', date '2023-01-01', sized.model_date) / 365.25 as z,
        calibration.model_id is not null as in_calibration,
        {{ ols_loo_sums('totals', 'calibration.x', 'calibration.z', '0.0', 'calibration.y', 'calibration.model_id is not null') }}
    from sized
    cross join totals
    left join calibration on sized.model_id = calibration.model_id

),

centred as (

    select
        {{ ols_centre('loo_sums') }}
    from loo_sums
    where loo_sums.n >= 20

),

inverted as (

    select
        {{ ols_invert('centred') }}
    from centred

),

fitted as (

    select
        {{ ols_coefficients('inverted') }}
    from inverted

),

predicted as (

    select
        fitted.*,
        {{ ols_intercept('fitted') }} as intercept,
        {{ ols_predict('fitted', 'fitted.x', 'fitted.z', '0.0') }} as log10_tokens,
        {{ ols_se('fitted', 'fitted.x', 'fitted.z', '0.0') }} * {{ t90(ols_df('fitted')) }} as half_width
    from fitted

),

final as (

    select
        model_id,
        'name_parameters' as method,
        {{ six_n_d('active_parameters', 'pow(10, log10_tokens)') }} as training_flop,
        {{ six_n_d('active_parameters', 'pow(10, log10_tokens - half_width)') }} as flop_low,
        {{ six_n_d('active_parameters', 'pow(10, log10_tokens + half_width)') }} as flop_high,
        'low' as confidence,
        case when parameter_origin = 'huggingface' then 'Parameters from the Hub: ' else 'Parameters from name: ' end || size_reading || '; tokens predicted for a ' || {{ fmt_sci('total_parameters') }}
        || '-parameter model of ' || cast(year(model_date) as varchar) || ' by log10(tokens) = '
        || printf('%.2f', intercept) || ' + ' || printf('%.3f', b1) || ' x log10(N) '
        || printf('%+.3f', b2) || ' x (year - 2023) (fitted on '
        || cast(n as varchar) || ' Epoch language models' || case when in_calibration then ', this one left out' else '' end
        || ') = ' || {{ fmt_sci('pow(10, log10_tokens)') }} || ' tokens; 6 x ' || {{ fmt_sci('active_parameters') }}
        || ' x tokens = ' || {{ fmt_sci(six_n_d('active_parameters', 'pow(10, log10_tokens)')) }} || ' FLOP' as reasoning,
        case
            when parameter_origin = 'huggingface' then 'https://huggingface.co/' || repo_id || ' (Hub parameter count)'
            else 'model name ' || model_id
        end || ' ; https://epoch.ai/data/ai-models (token calibration)' as sources,
        model_date as evidence_date,
        total_parameters as parameters,
        parameter_origin as parameter_source
    from predicted
    where active_parameters > 0

)

select * from final
