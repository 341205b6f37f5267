{#- Evidence filter for an as-of rebuild (backtest): with var('as_of') set, keep only
    evidence dated before it; without it, keep everything. One filter, not a second pipeline. -#}
{% macro evidence_before_as_of(date_column) -%}
    {%- if var('as_of', none) -%}
    (cast({{ date_column }} as date) < cast('{{ var("as_of") }}' as date))
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
