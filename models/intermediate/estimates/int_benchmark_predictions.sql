{#- Benchmark regressions, one fit per leaderboard snapshot and scored model. Per snapshot, fit
        log10(FLOP) = a + b1 * score + b2 * (release year - 2023)
    on the reference models of that snapshot (compute known from direct evidence), and
    predict each model's compute with a 90% prediction interval from the residuals.
    Scores are Elo-like and relative, so they are only compared within one snapshot, and
    never as a ratio. A reference model is scored by the fit WITHOUT itself (leave-one-out,
    computed by subtracting its own sums), so no model's figure reaches its own estimate.
    One row per model_id, leaderboard and snapshot with at least the minimum references. -#}
with

scores as (

    select
        scores.*,
        models.developer,
        date_diff('day', date '2023-01-01', coalesce(models.release_date, models.first_seen_date, scores.snapshot_date))
            / 365.25 as z
    from {{ ref('int_benchmark_scores_unioned') }} as scores
    inner join {{ ref('int_models_identified') }} as models on scores.model_id = models.model_id

),

points as (

    select
        scores.*,
        refs.log10_flop as y
    from scores
    left join {{ ref('int_reference_compute_selected') }} as refs on scores.model_id = refs.model_id

),

snapshot_sums as (

    select
        leaderboard,
        snapshot_id,
        count(y) as n,
        sum(score) filter (where y is not null) as sx,
        sum(z) filter (where y is not null) as sz,
        sum(y) as sy,
        sum(score * score) filter (where y is not null) as sxx,
        sum(z * z) filter (where y is not null) as szz,
        sum(score * y) as sxy,
        sum(z * y) as szy,
        sum(y * y) as syy,
        sum(score * z) filter (where y is not null) as sxz
    from points
    group by leaderboard, snapshot_id

),

loo_sums as (

    {#- Leave the scored model out of its own fit. -#}
    select
        points.model_id,
        points.leaderboard,
        points.snapshot_id,
        points.snapshot_date,
        points.score,
        points.z,
        points.source,
        points.y is not null as is_reference,
        sums.n - (case when points.y is not null then 1 else 0 end) as n,
        sums.sx - coalesce(case when points.y is not null then points.score end, 0) as sx,
        sums.sz - coalesce(case when points.y is not null then points.z end, 0) as sz,
        sums.sy - coalesce(points.y, 0) as sy,
        sums.sxx - coalesce(case when points.y is not null then points.score * points.score end, 0) as sxx,
        sums.szz - coalesce(case when points.y is not null then points.z * points.z end, 0) as szz,
        sums.sxy - coalesce(points.score * points.y, 0) as sxy,
        sums.szy - coalesce(points.z * points.y, 0) as szy,
        sums.syy - coalesce(points.y * points.y, 0) as syy,
        sums.sxz - coalesce(case when points.y is not null then points.score * points.z end, 0) as sxz
    from points
    inner join snapshot_sums as sums
        on points.leaderboard = sums.leaderboard and points.snapshot_id = sums.snapshot_id

),

centered as (

    select
        loo_sums.*,
        {{ ols2_terms('loo_sums') }}
    from loo_sums
    where loo_sums.n >= {{ var('benchmark_min_references') }}

),

fitted as (

    select
        centered.*,
        {{ ols2_coefficients('centered', 'centered') }}
    from centered

),

predicted as (

    select
        fitted.*,
        {{ ols2_predict('fitted', 'fitted', 'fitted.score', 'fitted.z') }} as log10_hat,
        {{ ols2_se('fitted', 'fitted', 'fitted.score', 'fitted.z') }} * {{ t90('fitted.n - 3') }} as half_width,
        sqrt({{ ols2_s2('fitted', 'fitted') }}) as residual_sd
    from fitted
    where fitted.b1 > 0

),

final as (

    select * from predicted

)

select * from final
