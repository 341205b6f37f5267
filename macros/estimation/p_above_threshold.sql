{#- Standard normal CDF via erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7); DuckDB has no erf. -#}
{% macro normal_cdf(z) -%}
    {%- set x = '(abs(' ~ z ~ ') / sqrt(2))' -%}
    {%- set t = '(1.0 / (1.0 + 0.3275911 * ' ~ x ~ '))' -%}
    (0.5 * (1 + sign({{ z }}) * (1 - {{ t }} * (0.254829592 + {{ t }} * (-0.284496736 + {{ t }} * (1.421413741
        + {{ t }} * (-1.453152027 + {{ t }} * 1.061405429)))) * exp(-{{ x }} * {{ x }}))))
{%- endmacro %}

{#- Probability that training compute exceeds the threshold, reading [low, high] as the
    90% interval of a log-normal centred on the estimate. -#}
{% macro p_above_threshold(flop, low, high) -%}
    {%- set sigma = log10_sigma(low, high) -%}
    (case
        when ({{ low }}) = ({{ high }}) then (case when ({{ flop }}) >= {{ var('flop_threshold') }} then 1.0 else 0.0 end)
        else {{ normal_cdf('((log10(' ~ flop ~ ') - log10(' ~ var('flop_threshold') ~ ')) / ' ~ sigma ~ ')') }}
    end)
{%- endmacro %}
