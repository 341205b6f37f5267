{#- Generic test: every row satisfies a SQL boolean expression (rows that do not are returned). -#}
{% test expression_is_true(model, expression, column_name=none, where=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
    {% if where %}and ({{ where }}){% endif %}
{% endtest %}
