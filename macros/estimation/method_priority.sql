{#- Which estimate is most trustworthy (1 = most). Disclosed figures and operation counting
    from disclosed architecture and tokens beat any inference; Epoch's figure ranks by its
    own confidence; benchmark inference comes last because a score cannot tell a frontier
    flagship from an efficient open model with the same Elo. -#}
{% macro method_priority(method, confidence) -%}
    (case
        when {{ method }} = 'developer_disclosed' then 1
        when {{ method }} = 'operation_counting' then 2
        when {{ method }} = 'epoch_reference' and {{ confidence }} = 'high' then 3
        when {{ method }} = 'epoch_reference' and {{ confidence }} = 'medium' then 4
        when {{ method }} = 'hardware' then 5
        when {{ method }} = 'training_cost' then 6
        when {{ method }} = 'epoch_reference' then 7
        when {{ method }} = 'family_lineage' then 8
        when {{ method }} = 'name_parameters' then 9
        when {{ method }} = 'benchmark_regression' then 10
        else 99
    end)
{%- endmacro %}
