{#- The active-fraction prior for mixture-of-experts models whose active count nothing states:
        log10(active / total) = a + b * log10(total)
    fitted on the MoE models whose developers state both counts (moe_disclosed_parameters seed;
    a checkpoint listed twice with the same counts, DeepSeek-V3 and R1, is one point). Larger
    mixtures are sparser (Mixtral 8x7B 28% active, Kimi K2 3%), so the fraction depends on size.
    One row: the fit's sums and moments (ols macros), for int_model_parameters_sized to predict
    a fraction and its 90% prediction interval at any total. -#}
with

disclosed as (

    select * from {{ ref('moe_disclosed_parameters') }}

),

points as (

    select distinct
        developer,
        total_parameters,
        active_parameters,
        log10(total_parameters) as x,
        log10(active_parameters / total_parameters) as y
    from disclosed
    where total_parameters > active_parameters and active_parameters > 0

),

sums as (

    select {{ ols_sums('x', '0.0', '0.0', 'y') }} from points

),

centred as (

    select {{ ols_centre('sums') }} from sums

),

inverted as (

    select {{ ols_invert('centred') }} from centred

),

fitted as (

    select {{ ols_coefficients('inverted') }} from inverted

),

final as (

    select
        fitted.*,
        {{ ols_intercept('fitted') }} as intercept,
        sqrt({{ ols_s2('fitted') }}) as residual_sd,
        {{ t90(ols_df('fitted')) }} as t90
    from fitted

)

select * from final
