{#- Every complete build's view of the models mart, kept: one row per model and version of its
    estimate (dbt_valid_from .. dbt_valid_to). Taken by `flop-tracker build` after the CSV files
    are written, never inside `dbt build` (flop_tracker/dbt_runner.py excludes snapshots there), so
    a failed build or a validate/backtest scratch copy never records one.

    Check strategy on what a reader of the history cares about: the estimate, its interval,
    p(>1e25), the classification, the method, the file it lands in, the decision and status.
    Numbers are rounded to 6 significant figures (p to 4 decimals) so the last bits of a float
    sum, which may differ between runs, never count as a change. reasoning, sources and the
    evidence date are kept with each version (the evidence behind a move) but are not checked:
    a newer evidence date alone is not a new estimate. -#}
{% snapshot models_history %}

    {{ config(
        unique_key='model_id',
        strategy='check',
        check_cols=[
            'training_flop', 'flop_low', 'flop_high', 'p_above_1e25', 'threshold_classification',
            'estimation_method', 'dataset_file', 'decision', 'status'
        ],
        hard_deletes='invalidate',
    ) }}

    with

    mart as (

        select * from {{ ref('models') }}

    ),

    final as (

        select
            model_id,
            model,
            developer,
            release_date,
            {{ round_significant('training_flop', 6) }} as training_flop,
            {{ round_significant('flop_low', 6) }} as flop_low,
            {{ round_significant('flop_high', 6) }} as flop_high,
            round(p_above_1e25, 4) as p_above_1e25,
            threshold_classification,
            estimation_method,
            confidence,
            dataset_file,
            decision,
            status,
            review_flag,
            reasoning,
            sources,
            last_updated as evidence_date
        from mart

    )

    select * from final

{% endsnapshot %}
