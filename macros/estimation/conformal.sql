{#- The leave-one-out conformal 90% quantile: from values sorted ascending (a list), their count n, and the
    evaluated model's own rank among them (null when it is not one of them), the ceil(0.9 (m + 1))-th smallest of
    the m values that are not its own (at most the m-th): a model's own miss never sizes its own interval. When it
    is one of them (m = n - 1) that is the k-th of all when its own ranks above k, else the (k+1)-th. Null when
    there is nothing left to size it by. -#}
{% macro loo_conformal_quantile(sorted_values, n, own_rank) -%}
    {%- set k_member = 'least(cast(ceil(0.9 * (' ~ n ~ ')) as integer), (' ~ n ~ ') - 1)' -%}
    {%- set k_other = 'least(cast(ceil(0.9 * ((' ~ n ~ ') + 1)) as integer), ' ~ n ~ ')' -%}
    (case
        when ({{ own_rank }}) is null then ({{ sorted_values }})[{{ k_other }}]
        when {{ k_member }} < 1 then null
        when ({{ own_rank }}) <= {{ k_member }} then ({{ sorted_values }})[{{ k_member }} + 1]
        else ({{ sorted_values }})[{{ k_member }}]
    end)
{%- endmacro %}
