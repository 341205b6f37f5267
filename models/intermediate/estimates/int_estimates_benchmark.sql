{#- Method: benchmark regression (the fits are in int_benchmark_predictions: log10 FLOP on
    score, release year and proprietary weights, per leaderboard snapshot, leave-one-out,
    90% prediction interval). Per model, the newest snapshot of each leaderboard is used;
    when several leaderboards score the model, their predictions are averaged (weighted by
    1 / half-width^2) and the interval keeps the average half-width: the leaderboards share
    voters and references, so their errors are not independent and are not shrunk. -#}
with

predicted as (

    select * from {{ ref('int_benchmark_predictions') }}

),

newest_per_leaderboard as (

    select
        *,
        1.0 / (half_width * half_width) as weight
    from predicted
    qualify row_number() over (partition by model_id, leaderboard order by snapshot_date desc, snapshot_id desc) = 1

),

combined as (

    select
        model_id,
        sum(weight * log10_hat) / sum(weight) as log10_flop,
        sum(weight * half_width) / sum(weight) as half_width,
        max(snapshot_date) as evidence_date,
        string_agg(
            leaderboard || ' ' || cast(snapshot_date as varchar) || ': log10(FLOP) = ' || printf('%.3f', intercept)
            || ' + ' || printf('%.5f', b1) || ' x score ' || printf('%+.3f', b2) || ' x (release year - 2023) '
            || printf('%+.3f', b3) || ' x proprietary, fitted on ' || cast(n as varchar) || ' reference models'
            || case when is_reference then ' (this model left out)' else '' end
            || ', residual sd ' || printf('%.2f', residual_sd) || ' dex; score ' || printf('%.0f', score)
            || case when w = 1 then ', proprietary' else '' end || ' -> ' || {{ fmt_sci('pow(10, log10_hat)') }},
            ' | ' order by leaderboard
        ) as fits,
        string_agg(distinct source, ' ; ') as sources,
        count(*) as n_leaderboards
    from newest_per_leaderboard
    group by model_id

),

final as (

    select
        model_id,
        'benchmark_regression' as method,
        pow(10, log10_flop) as training_flop,
        pow(10, log10_flop - half_width) as flop_low,
        pow(10, log10_flop + half_width) as flop_high,
        'low' as confidence,
        'Benchmark regression (' || fits || ')'
        || case when n_leaderboards > 1 then '; weighted mean ' else '; ' end
        || {{ fmt_sci('pow(10, log10_flop)') }} || ' FLOP, 90% PI '
        || {{ fmt_sci('pow(10, log10_flop - half_width)') }} || '..' || {{ fmt_sci('pow(10, log10_flop + half_width)') }}
            as reasoning,
        sources,
        evidence_date,
        cast(null as double) as parameters,
        cast(null as varchar) as parameter_source
    from combined

)

select * from final
