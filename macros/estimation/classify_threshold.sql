{#- One vocabulary everywhere. The ends come from the interval itself; the middle from
    p_above (the probability the compute exceeds the threshold):
      high_confidence_above_1e25  low  >= threshold
      likely_above_1e25           p >= 0.6
      uncertain                   0.3 <= p < 0.6
      likely_below_1e25           p < 0.3 (but high >= threshold)
      high_confidence_below_1e25  high <  threshold
    Candidates for review are the first three. No developer is special-cased. -#}
{% macro classify_threshold(low, high, p_above) -%}
    (case
        when ({{ low }}) >= {{ var('flop_threshold') }} then 'high_confidence_above_1e25'
        when ({{ high }}) < {{ var('flop_threshold') }} then 'high_confidence_below_1e25'
        when ({{ p_above }}) >= 0.6 then 'likely_above_1e25'
        when ({{ p_above }}) >= 0.3 then 'uncertain'
        else 'likely_below_1e25'
    end)
{%- endmacro %}

{#- Whether a classification puts a model in the candidates file. -#}
{% macro is_candidate(classification) -%}
    (({{ classification }}) in ('high_confidence_above_1e25', 'likely_above_1e25', 'uncertain'))
{%- endmacro %}
