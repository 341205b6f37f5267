{#- Method: family lineage, for models with no disclosure. Start from the most recent earlier
    model (at most var('lineage_max_gap_months') older) of the same developer and line
    (a successor to a Sonnet is a Sonnet) and kind (model_kind: a video model follows a video model) whose compute
    is known from direct evidence, move it by the benchmark difference between the two in the
    newest snapshot that scores both (slope of that snapshot's leave-one-out regression), and
    widen the interval. This is how Epoch's analysts reason about closed flagships. A model
    is never its own predecessor, so its own figure never reaches its own estimate. -#}
with

models as (

    select
        model_id,
        developer,
        release_date,
        {{ model_line('model_id') }} as line,
        {{ model_kind('model_id') }} as kind
    from {{ ref('int_models_identified') }}
    where release_date is not null and not {{ has_size_in_name('model_id') }}

),

refs as (

    select * from {{ ref('int_reference_compute_selected') }}

),

benchmark_predictions as (

    select * from {{ ref('int_benchmark_predictions') }}

),

benchmark_scores as (

    select * from {{ ref('int_benchmark_scores_unioned') }}

),

candidates as (

    select
        successor.model_id,
        successor.developer,
        successor.line,
        successor.release_date,
        predecessor.model_id as predecessor_id,
        predecessor.release_date as predecessor_release_date,
        refs.log10_flop as predecessor_log10_flop,
        refs.log10_sigma as predecessor_sigma,
        refs.reference_method as predecessor_method
    from models as successor
    inner join models as predecessor
        on
            successor.developer = predecessor.developer
            and successor.line = predecessor.line
            and successor.kind = predecessor.kind
            and successor.release_date > predecessor.release_date
            and predecessor.release_date >= successor.release_date - interval {{ var('lineage_max_gap_months') }} month
            and successor.model_id <> predecessor.model_id
    inner join refs on predecessor.model_id = refs.model_id
    qualify row_number() over (
        partition by successor.model_id order by predecessor.release_date desc, refs.log10_flop desc
    ) = 1

),

shared_snapshots as (

    select
        candidates.model_id,
        mine.leaderboard,
        mine.snapshot_date,
        mine.score - theirs.score as score_difference,
        mine.b1 as slope
    from candidates
    inner join benchmark_predictions as mine on candidates.model_id = mine.model_id
    inner join benchmark_scores as theirs
        on
            candidates.predecessor_id = theirs.model_id
            and mine.leaderboard = theirs.leaderboard
            and mine.snapshot_id = theirs.snapshot_id
    qualify row_number() over (
        partition by candidates.model_id order by mine.snapshot_date desc, mine.leaderboard asc
    ) = 1

),

moved as (

    select
        candidates.*,
        shared.leaderboard,
        shared.snapshot_date,
        shared.score_difference,
        shared.slope,
        candidates.predecessor_log10_flop + coalesce(shared.slope * shared.score_difference, 0) as log10_flop,
        sqrt(
            pow(candidates.predecessor_sigma, 2)
            + pow({{ var('lineage_extra_sigma') }}, 2)
            + case when shared.slope is null then pow({{ var('lineage_extra_sigma') }}, 2) else 0 end
        ) as sigma
    from candidates
    left join shared_snapshots as shared on candidates.model_id = shared.model_id

),

final as (

    select
        model_id,
        'family_lineage' as method,
        pow(10, log10_flop) as training_flop,
        {{ interval_from_sigma('log10_flop', 'sigma', 'low') }} as flop_low,
        {{ interval_from_sigma('log10_flop', 'sigma', 'high') }} as flop_high,
        'low' as confidence,
        'Family lineage: successor in ' || developer || '''s ' || line || ' line to ' || predecessor_id
        || ' (' || cast(predecessor_release_date as varchar) || ', ' || {{ fmt_sci('pow(10, predecessor_log10_flop)') }}
        || ' FLOP by ' || predecessor_method || ')'
        || case
            when slope is null then '; no leaderboard scores both, so no benchmark shift'
            else
                '; benchmark difference ' || printf('%+.0f', score_difference) || ' on ' || leaderboard || ' '
                || cast(snapshot_date as varchar) || ' x ' || printf('%.4f', slope) || ' dex/point = '
                || printf('%+.2f', slope * score_difference) || ' dex'
        end
        || '; -> ' || {{ fmt_sci('pow(10, log10_flop)') }} || ' FLOP, interval widened to sigma '
        || printf('%.2f', sigma) || ' dex' as reasoning,
        'lineage from ' || predecessor_id as sources,
        release_date as evidence_date,
        cast(null as double) as parameters,
        cast(null as varchar) as parameter_source
    from moved

)

select * from final
