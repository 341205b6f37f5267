{#- Training tokens for tracked models whose size is known but whose tokens are not disclosed
    with it, from the evidence closest to how models are trained, in order:
      1. the model's own disclosed tokens (known-specs seed or a manual entry, else its model card);
      2. same_line: the newest corpus of the same developer's line, its family and generation
         (model_series macro: qwen3, llama-3.1, granite-3.0), released no later than the model and
         at most var('token_prior_window_months') before it (Qwen3-0.6B takes the 36T tokens the
         Qwen3 report states for the family);
      3. developer: the developer's newest disclosed corpus (seed) in that window, any line (Epoch's
         dataset sizes of a developer's other lines include small research models, poor donors);
      4. regression: log10(tokens) = a + b1 log10(total parameters) + b2 (year - 2023), fitted on
         int_token_calibration_points (a point is left out of its own fit), never extrapolated:
         beyond the calibration range in size or year the prediction is made at the nearest edge
         and the interval widened by the whole distance to the extrapolated trend.
    A corpus comes from a disclosure (seed) or from Epoch's dataset size of ANOTHER model (a model's
    own Epoch figure never reaches its estimate). Each transfer's 90% interval is how far such
    transfers have missed on Epoch's data: every calibration point is predicted the same way from
    its donors (never itself), and the half-width is the 90% quantile of those errors' sizes in
    dex (the ceil(0.9 (n + 1))-th smallest), without the model's own error when it is a
    calibration point (leave-one-out). A quantile, not a multiple of their spread: the errors are
    mostly near zero (one corpus for a family) with a few large ones (a different recipe), and a
    normal reading would widen every interval for the few.
    One row per tracked model with a size (int_model_parameters_sized). -#}
with

identified_models as (

    select * from {{ ref('int_models_identified') }}

),

sized as (

    select * from {{ ref('int_model_parameters_sized') }}

),

model_specs as (

    select * from {{ ref('int_model_specs_joined') }}

),

calibration as (

    select * from {{ ref('int_token_calibration_points') }}

),

hub_names as (

    select * from {{ ref('int_model_names_normalized') }}
    where source_name = 'huggingface' and not is_excluded

),

card_statements as (

    select * from {{ ref('stg_huggingface__card_statements') }}
    where kind = 'training_tokens' and value > 0 and coalesce(scope, 'pre-training') = 'pre-training'

),

card_tokens as (

    {#- Pre-training tokens a model card states (the Hub ingest's card parser): a disclosure, where the
        card states one figure. -#}
    select
        hub_names.model_id,
        case when count(distinct statements.value) = 1 then max(statements.value) end as tokens,
        'https://huggingface.co/' || min(statements.repo_id) as source_url
    from card_statements as statements
    inner join hub_names on statements.repo_id = hub_names.raw_name
    group by hub_names.model_id

),

tracked as (

    select
        models.model_id,
        models.developer,
        {{ model_series('models.model_id') }} as line,
        coalesce(models.release_date, models.first_seen_date) as model_date,
        sized.total_parameters,
        coalesce(specs.training_tokens, cards.tokens) as own_tokens,
        case when specs.training_tokens > 0 then specs.source_url else cards.source_url end as own_tokens_source
    from identified_models as models
    inner join sized on models.model_id = sized.model_id
    left join model_specs as specs on models.model_id = specs.model_id and specs.training_tokens > 0
    left join card_tokens as cards on models.model_id = cards.model_id and cards.tokens > 0
    where coalesce(models.release_date, models.first_seen_date) is not null

),

targets as (

    {#- Tracked models to predict, and calibration points to measure how transfers err. -#}
    select
        coalesce(tracked.model_id, calibration.model_id) as model_id,
        coalesce(tracked.developer, calibration.developer) as developer,
        coalesce(tracked.line, calibration.line) as line,
        coalesce(tracked.model_date, calibration.publication_date) as model_date,
        calibration.y as true_log10_tokens
    from tracked
    full outer join calibration on tracked.model_id = calibration.model_id

),

donors as (

    {#- One corpus per model: its disclosure (seed, then model card), else Epoch's dataset size. -#}
    select * from (
        select
            model_id,
            developer,
            {{ model_series('model_id') }} as line,
            release_date as donor_date,
            training_tokens as tokens,
            total_parameters as parameters,
            'disclosed' as donor_source,
            source_url,
            1 as donor_rank
        from model_specs
        where training_tokens > 0 and release_date is not null
        union all
        select
            cards.model_id,
            models.developer,
            {{ model_series('cards.model_id') }} as line,
            coalesce(models.release_date, models.first_seen_date) as donor_date,
            cards.tokens,
            sized.total_parameters as parameters,
            'disclosed' as donor_source,
            cards.source_url,
            2 as donor_rank
        from card_tokens as cards
        inner join identified_models as models on cards.model_id = models.model_id
        left join sized on cards.model_id = sized.model_id
        where cards.tokens > 0 and coalesce(models.release_date, models.first_seen_date) is not null
        union all
        select
            model_id,
            developer,
            line,
            publication_date as donor_date,
            tokens,
            parameters,
            'epoch' as donor_source,
            'https://epoch.ai/data/ai-models (' || epoch_model_name || ')' as source_url,
            3 as donor_rank
        from calibration
    )
    qualify row_number() over (partition by model_id order by donor_rank) = 1

),

candidate_donors as (

    select
        targets.model_id,
        donors.model_id as donor_id,
        donors.line = targets.line as same_line,
        donors.tokens,
        donors.donor_date,
        donors.donor_source,
        donors.source_url,
        donors.parameters
    from targets
    inner join donors
        on
            targets.developer = donors.developer
            and targets.model_id <> donors.model_id
            and targets.model_date + interval 1 month >= donors.donor_date
            and donors.donor_date >= targets.model_date - interval {{ var('token_prior_window_months') }} month
            and (targets.line = donors.line or donors.donor_source = 'disclosed')

),

transfers as (

    {#- Newest first; among donors of one date, the disclosed corpus, then the larger. -#}
    select
        candidate_donors.*,
        {#- Scored by kind only: split by the corpus figure's source (disclosure or Epoch), each part
            rests on a handful of large misses; the pooled quantile covers each part as well. -#}
        case when candidate_donors.same_line then 'same_line' else 'developer' end as transfer
    from candidate_donors
    qualify row_number() over (
        partition by candidate_donors.model_id
        order by
            candidate_donors.same_line desc, candidate_donors.donor_date desc,
            candidate_donors.donor_source = 'disclosed' desc, candidate_donors.parameters desc nulls last,
            candidate_donors.donor_id asc
    ) = 1

),

transfer_errors as (

    select
        transfers.model_id,
        transfers.transfer,
        targets.true_log10_tokens - log10(transfers.tokens) as error,
        row_number() over (
            partition by transfers.transfer
            order by abs(targets.true_log10_tokens - log10(transfers.tokens)), transfers.model_id
        ) as error_rank
    from transfers
    inner join targets on transfers.model_id = targets.model_id
    where targets.true_log10_tokens is not null

),

transfer_spread as (

    {#- The errors' sizes in order, for their 90% quantile (the ceil(0.9 (n + 1))-th smallest, the
        split-conformal rank). -#}
    select
        transfer,
        count(*) as n,
        list(abs(error) order by abs(error), model_id) as sorted_abs_errors
    from transfer_errors
    group by transfer

),

own_errors as (

    {#- A calibration point's own transfer error and its rank, taken out of its own interval. -#}
    select
        model_id,
        transfer,
        error,
        error_rank,
        1 as is_member
    from transfer_errors

),

transfer_half_widths as (

    select
        transfers.model_id,
        spread.n - coalesce(own.is_member, 0) as transfer_n,
        {{ loo_conformal_quantile('spread.sorted_abs_errors', 'spread.n', 'own.error_rank') }} as half_width
    from transfers
    inner join transfer_spread as spread on transfers.transfer = spread.transfer
    left join own_errors as own on transfers.model_id = own.model_id and transfers.transfer = own.transfer

),

regression_sums as (

    select
        {{ ols_sums('x', 'z', '0.0', 'y') }},
        min(x) as x_min,
        max(x) as x_max,
        min(z) as z_min,
        max(z) as z_max
    from calibration

),

regression_targets as (

    {#- The tracked models to predict, and every calibration point (predicted without itself, to
        measure how far the fit misses a model it has not seen). -#}
    select
        model_id,
        'target' as role,
        log10(total_parameters) as x,
        date_diff('day', date '2023-01-01', model_date) / 365.25 as z,
        cast(null as double) as y
    from tracked
    union all
    select
        model_id,
        'point' as role,
        x,
        z,
        y
    from calibration

),

regression_loo as (

    select
        targets.model_id,
        targets.role,
        targets.x,
        targets.z,
        targets.y,
        sums.x_min,
        sums.x_max,
        sums.z_min,
        sums.z_max,
        calibration.model_id is not null as in_calibration,
        {{ ols_loo_sums('sums', 'calibration.x', 'calibration.z', '0.0', 'calibration.y', 'calibration.model_id is not null') }}
    from regression_targets as targets
    cross join regression_sums as sums
    left join calibration on targets.model_id = calibration.model_id

),

regression_centred as (

    select
        {{ ols_centre('regression_loo') }}
    from regression_loo
    where regression_loo.n >= 20

),

regression_inverted as (

    select
        {{ ols_invert('regression_centred') }}
    from regression_centred

),

regression_fitted as (

    select
        {{ ols_coefficients('regression_inverted') }},
        least(greatest(regression_inverted.x, regression_inverted.x_min), regression_inverted.x_max) as x_edge,
        least(greatest(regression_inverted.z, regression_inverted.z_min), regression_inverted.z_max) as z_edge
    from regression_inverted

),

regression_predicted as (

    {#- se: the standard error of a new observation (residual variance x (1 + leverage)), without
        the t quantile; ratio: how many of those a point's held-out prediction missed by. -#}
    select
        f.model_id,
        f.role,
        f.n,
        f.in_calibration,
        f.x,
        f.z,
        {{ ols_intercept('f') }} as intercept,
        f.b1,
        f.b2,
        {{ ols_predict('f', 'f.x_edge', 'f.z_edge', '0.0') }} as log10_tokens,
        {{ ols_se('f', 'f.x_edge', 'f.z_edge', '0.0') }} as se,
        abs({{ ols_predict('f', 'f.x', 'f.z', '0.0') }} - {{ ols_predict('f', 'f.x_edge', 'f.z_edge', '0.0') }}) as extrapolation,
        abs(f.y - {{ ols_predict('f', 'f.x', 'f.z', '0.0') }}) / {{ ols_se('f', 'f.x', 'f.z', '0.0') }} as ratio
    from regression_fitted as f

),

regression_ratios as (

    select
        count(*) as n_points,
        list(ratio order by ratio, model_id) as sorted_ratios
    from regression_predicted
    where role = 'point'

),

regression_ratio_ranks as (

    select
        model_id,
        row_number() over (order by ratio, model_id) as ratio_rank
    from regression_predicted
    where role = 'point'

),

regression as (

    {#- 90%: the leave-one-out conformal quantile of the held-out misses in se (so a point far from
        the data gets a wider interval) x se at the (edge) point, plus the distance extrapolated. -#}
    select
        predicted.model_id,
        predicted.n,
        predicted.in_calibration,
        predicted.intercept,
        predicted.b1,
        predicted.b2,
        predicted.log10_tokens,
        predicted.extrapolation,
        ratios.n_points - (case when ranks.model_id is null then 0 else 1 end) as ratio_n,
        {{ loo_conformal_quantile('ratios.sorted_ratios', 'ratios.n_points', 'ranks.ratio_rank') }} as ratio_quantile,
        predicted.se
    from regression_predicted as predicted
    cross join regression_ratios as ratios
    left join regression_ratio_ranks as ranks on predicted.model_id = ranks.model_id
    where predicted.role = 'target'

),

options as (

    {#- Every token prior a model has, with its 90% half-width. A developer-level transfer is used
        only where it is narrower than the regression's interval: its errors on Epoch's data are as
        large as the regression's (another line's corpus says little), and the wider of two honest
        readings adds nothing. -#}
    select
        tracked.model_id,
        tracked.own_tokens,
        tracked.own_tokens_source,
        {#- A transfer needs errors to size its interval (at least one other calibration point). -#}
        transfer_widths.half_width is not null as has_transfer,
        transfers.transfer,
        transfers.tokens as donor_tokens,
        transfers.donor_id,
        transfers.donor_date,
        transfers.donor_source,
        transfers.source_url as donor_url,
        transfer_widths.half_width as transfer_half_width,
        transfer_widths.transfer_n,
        regression.model_id is not null as has_regression,
        regression.log10_tokens as regression_log10_tokens,
        regression.ratio_quantile * regression.se + regression.extrapolation as regression_half_width,
        regression.n as regression_n,
        regression.in_calibration,
        regression.intercept,
        regression.b1,
        regression.b2,
        regression.extrapolation,
        regression.ratio_quantile
    from tracked
    left join transfers on tracked.model_id = transfers.model_id
    left join transfer_half_widths as transfer_widths on transfers.model_id = transfer_widths.model_id
    left join regression on tracked.model_id = regression.model_id

),

chosen as (

    select
        *,
        case
            when own_tokens > 0 then 'disclosed'
            when
                has_transfer
                and (transfer = 'same_line' or not has_regression or transfer_half_width < regression_half_width)
                then transfer
            when has_regression then 'regression'
        end as token_source
    from options

),

token_readings as (

    select
        model_id,
        token_source,
        case token_source
            when 'disclosed' then log10(own_tokens)
            when 'regression' then regression_log10_tokens
            when 'same_line' then log10(donor_tokens)
            when 'developer' then log10(donor_tokens)
        end as log10_tokens,
        case token_source
            when 'disclosed' then own_tokens
            when 'regression' then pow(10, regression_log10_tokens)
            when 'same_line' then donor_tokens
            when 'developer' then donor_tokens
        end as tokens,
        case token_source
            when 'disclosed' then 0.0
            when 'regression' then regression_half_width
            when 'same_line' then transfer_half_width
            when 'developer' then transfer_half_width
        end as log10_half_width,
        case when token_source in ('same_line', 'developer') then donor_id end as donor_id,
        donor_tokens,
        donor_date,
        donor_source,
        transfer_n,
        case
            when token_source = 'disclosed' then own_tokens_source
            when token_source in ('same_line', 'developer') then donor_url
        end as tokens_source_url,
        regression_n,
        in_calibration,
        intercept,
        b1,
        b2,
        extrapolation,
        ratio_quantile
    from chosen

),

final as (

    select
        model_id,
        token_source,
        tokens as training_tokens,
        tokens / pow(10, log10_half_width) as tokens_low,
        tokens * pow(10, log10_half_width) as tokens_high,
        log10_half_width,
        donor_id,
        case token_source
            when 'disclosed' then {{ fmt_sci('pow(10, log10_tokens)') }} || ' tokens (disclosed)'
            when 'same_line'
                then
                    {{ fmt_sci('donor_tokens') }} || ' tokens as ' || donor_id || ' (same developer and line, '
                    || cast(donor_date as varchar) || ', ' || donor_source || ')'
            when 'developer'
                then
                    {{ fmt_sci('donor_tokens') }} || ' tokens as ' || donor_id || ' (the developer''s newest corpus, '
                    || cast(donor_date as varchar) || ', ' || donor_source || ')'
            else
                {{ fmt_sci('pow(10, log10_tokens)') }} || ' tokens by log10(tokens) = ' || printf('%.2f', intercept)
                || ' + ' || printf('%.3f', b1) || ' x log10(N) ' || printf('%+.3f', b2) || ' x (year - 2023) (fitted on '
                || cast(regression_n as varchar) || ' Epoch language models'
                || case when in_calibration then ', this one left out' else '' end || ')'
                || case
                    when extrapolation > 0.005
                        then
                            '; beyond the fit''s data, so predicted at its edge and widened by '
                            || printf('%.2f', extrapolation) || ' dex'
                    else ''
                end
        end
        || case
            when token_source in ('same_line', 'developer')
                then
                    '; 90% interval +-' || printf('%.2f', log10_half_width) || ' dex from ' || cast(transfer_n as varchar)
                    || ' such transfers on Epoch''s data'
            when token_source = 'regression' then '; 90% PI +-' || printf('%.2f', log10_half_width) || ' dex'
            else ''
        end as tokens_reading,
        tokens_source_url
    from token_readings
    where log10_tokens is not null

)

select * from final
