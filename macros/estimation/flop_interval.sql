{#- A multiplicative 90% interval around a central FLOP figure: [x / factor, x * factor]. -#}
{% macro flop_low(center, factor) -%}
    (({{ center }}) / ({{ factor }}))
{%- endmacro %}

{% macro flop_high(center, factor) -%}
    (({{ center }}) * ({{ factor }}))
{%- endmacro %}

{#- The log-normal sigma (in log10 units) implied by a 90% interval [low, high]. -#}
{% macro log10_sigma(low, high) -%}
    ((log10({{ high }}) - log10({{ low }})) / (2 * 1.6448536))
{%- endmacro %}

{#- A 90% interval from a centre and a sigma in log10 units. -#}
{% macro interval_from_sigma(log10_center, sigma, side) -%}
    {%- if side == 'low' -%}
    pow(10, ({{ log10_center }}) - 1.6448536 * ({{ sigma }}))
    {%- else -%}
    pow(10, ({{ log10_center }}) + 1.6448536 * ({{ sigma }}))
    {%- endif -%}
{%- endmacro %}

{#- Scientific notation for reasoning text, e.g. 3.79e+25. -#}
{% macro fmt_sci(x) -%}
    printf('%.2e', cast({{ x }} as double))
{%- endmacro %}

{#- x rounded to `digits` significant figures (null and 0 stay as they are): a stored figure
    that float noise in its last bits cannot change. -#}
{% macro round_significant(x, digits) -%}
    (case
        when ({{ x }}) is null or ({{ x }}) = 0 then ({{ x }})
        else round(({{ x }}), {{ digits - 1 }} - cast(floor(log10(abs({{ x }}))) as integer))
    end)
{%- endmacro %}
