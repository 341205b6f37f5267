{#- One vocabulary everywhere. The ends come from the 90% interval itself; the middle splits
    p_above (the probability the compute exceeds the threshold) into terciles:
      high_confidence_above_1e25  low  >= threshold            (p >= 0.95)
      likely_above_1e25           p >= 2/3
      uncertain                   1/3 <= p < 2/3
      likely_below_1e25           p < 1/3 (but high >= threshold)
      high_confidence_below_1e25  high <  threshold            (p < 0.05)
    Candidates for review are the first three: a model goes to a person while there is at
    least a one-in-three chance it is above. No developer is special-cased. -#}
{% macro classify_threshold(low, high, p_above) -%}
    (case
        when ({{ low }}) >= {{ var('flop_threshold') }} then 'high_confidence_above_1e25'
        when ({{ high }}) < {{ var('flop_threshold') }} then 'high_confidence_below_1e25'
        when ({{ p_above }}) >= 2.0 / 3 then 'likely_above_1e25'
        when ({{ p_above }}) >= 1.0 / 3 then 'uncertain'
        else 'likely_below_1e25'
    end)
{%- endmacro %}

{#- Whether a classification puts a model in the candidates file. -#}
{% macro is_candidate(classification) -%}
    (({{ classification }}) in ('high_confidence_above_1e25', 'likely_above_1e25', 'uncertain'))
{%- endmacro %}
