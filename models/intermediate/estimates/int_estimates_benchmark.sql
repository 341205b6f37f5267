{#- Method: benchmark regression (see int_benchmark_predictions for the fit: log10 FLOP on
    score and release year per leaderboard snapshot, leave-one-out, 90% prediction interval).
    Per model, the newest snapshot of each leaderboard is used, and the narrowest interval
    across leaderboards wins. -#}
with

predicted as (

    select * from {{ ref('int_benchmark_predictions') }}

),

newest_per_leaderboard as (

    select *
    from predicted
    qualify row_number() over (partition by model_id, leaderboard order by snapshot_date desc, snapshot_id desc) = 1

),

final as (

    select
        model_id,
        'benchmark_regression' as method,
        pow(10, log10_hat) as training_flop,
        pow(10, log10_hat - half_width) as flop_low,
        pow(10, log10_hat + half_width) as flop_high,
        'low' as confidence,
        'Benchmark regression on ' || leaderboard || ' snapshot ' || cast(snapshot_date as varchar)
            || ': log10(FLOP) = ' || printf('%.3f', intercept) || ' + ' || printf('%.5f', b1) || ' x score '
            || printf('%+.3f', b2) || ' x (release year - 2023) ' || printf('%+.3f', b3) || ' x proprietary'
            || ', fitted on ' || cast(n as varchar) || ' reference models'
            || case when is_reference then ' (this model left out)' else '' end
            || ', residual sd ' || printf('%.2f', residual_sd) || ' dex; score ' || printf('%.0f', score)
            || case when w = 1 then ', proprietary' else '' end
            || ' -> ' || {{ fmt_sci('pow(10, log10_hat)') }} || ' FLOP, 90% PI '
            || {{ fmt_sci('pow(10, log10_hat - half_width)') }} || '..' || {{ fmt_sci('pow(10, log10_hat + half_width)') }}
            as reasoning,
        source as sources,
        snapshot_date as evidence_date,
        cast(null as double) as parameters,
        cast(null as varchar) as parameter_source,
        leaderboard,
        snapshot_id,
        score,
        b1 as score_slope,
        half_width
    from newest_per_leaderboard
    qualify row_number() over (partition by model_id order by half_width, leaderboard) = 1

)

select * from final
