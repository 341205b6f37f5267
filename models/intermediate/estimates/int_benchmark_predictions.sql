{#- Benchmark regressions, one fit per leaderboard snapshot and scored model:
        log10(FLOP) = a + b1 * score + b2 * (release year - 2023) + b3 * proprietary
    on the reference models of that snapshot (compute known from direct evidence; see
    int_reference_compute_selected). Scores are Elo-like and relative, so they are compared
    only within one snapshot and never as a ratio. Release year captures that newer models
    reach a score with less compute; `proprietary` (weights not published, from the licence
    the leaderboard lists) that closed models spend more compute at the same score. A
    reference model is scored by the fit WITHOUT itself (leave-one-out by subtracting its own
    sums), so no model's figure reaches its own estimate. The 90% prediction interval uses
    the residual variance and the point's leverage. One row per model_id, leaderboard and
    snapshot with at least var('benchmark_min_references') references. -#}
with

benchmark_scores as (

    select * from {{ ref('int_benchmark_scores_unioned') }}

),

identified_models as (

    select * from {{ ref('int_models_identified') }}

),

reference_compute as (

    select * from {{ ref('int_reference_compute_selected') }}

),

scores as (

    select
        scores.*,
        date_diff('day', date '2023-01-01', coalesce(models.release_date, models.first_seen_date, scores.snapshot_date))
        / 365.25 as z,
        case when models.weights_access = 'proprietary' then 1.0 else 0.0 end as w
    from benchmark_scores as scores
    inner join identified_models as models on scores.model_id = models.model_id

),

points as (

    select
        scores.*,
        refs.log10_flop as y
    from scores
    left join reference_compute as refs on scores.model_id = refs.model_id

),

snapshot_sums as (

    select
        leaderboard,
        snapshot_id,
        {{ ols_sums('score', 'z', 'w', 'y') }}
    from points
    where y is not null
    group by leaderboard, snapshot_id

),

loo_sums as (

    select
        points.model_id,
        points.leaderboard,
        points.snapshot_id,
        points.snapshot_date,
        points.score,
        points.z,
        points.w,
        points.source,
        points.y is not null as is_reference,
        {{ ols_loo_sums('sums', 'points.score', 'points.z', 'points.w', 'points.y', 'points.y is not null') }}
    from points
    inner join snapshot_sums as sums
        on points.leaderboard = sums.leaderboard and points.snapshot_id = sums.snapshot_id

),

centred as (

    select
        {{ ols_centre('loo_sums') }}
    from loo_sums
    where loo_sums.n >= {{ var('benchmark_min_references') }}

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
        {{ ols_predict('fitted', 'fitted.score', 'fitted.z', 'fitted.w') }} as log10_hat,
        {{ ols_se('fitted', 'fitted.score', 'fitted.z', 'fitted.w') }} * {{ t90(ols_df('fitted')) }} as half_width,
        sqrt({{ ols_s2('fitted') }}) as residual_sd
    from fitted
    where fitted.b1 > 0

),

final as (

    select
        model_id,
        leaderboard,
        snapshot_id,
        snapshot_date,
        score,
        z,
        w,
        source,
        is_reference,
        n,
        b1,
        b2,
        b3,
        intercept,
        log10_hat,
        half_width,
        residual_sd
    from predicted

)

select * from final
