{#- Every method's estimate for every model, ranked: rank 1 is the primary estimate (the
    most trustworthy method available, see the method_priority macro); the others are kept
    as alternatives. One row per model_id and method; every method model already holds
    tracked models only (int_models_identified), so this is a union and a window. -#}
{%- set methods = [
    'int_estimates_developer_disclosed', 'int_estimates_epoch', 'int_estimates_operation_counting',
    'int_estimates_hardware', 'int_estimates_training_cost', 'int_estimates_lineage',
    'int_estimates_name_parameters', 'int_estimates_benchmark'
] -%}
with

{% for m in methods %}
    {{ m }} as (

        select * from {{ ref(m) }}

    ),

{% endfor %}
unioned as (

    {% for m in methods %}
        select
            model_id,
            method,
            training_flop,
            flop_low,
            flop_high,
            confidence,
            reasoning,
            sources,
            evidence_date,
            parameters,
            parameter_source
        from {{ m }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

valid as (

    select * from unioned
    where
        training_flop > 0 and flop_low > 0 and flop_high >= flop_low
        and training_flop between flop_low and flop_high

),

final as (

    select
        valid.*,
        {{ method_priority('method', 'confidence') }} as method_priority,
        row_number() over (
            partition by valid.model_id
            order by {{ method_priority('method', 'confidence') }}, valid.flop_high / valid.flop_low, valid.method
        ) as method_rank
    from valid

)

select * from final
