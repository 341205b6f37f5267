{#- Training compute by operation counting: 6 FLOP per active parameter per token
    (2 for the forward multiply-add, 4 for the backward pass; one multiply-add = 2 FLOP,
    as Epoch counts). For mixture-of-experts models pass the ACTIVE parameters. -#}
{% macro six_n_d(active_parameters, tokens) -%}
    (6.0 * ({{ active_parameters }}) * ({{ tokens }}))
{%- endmacro %}
