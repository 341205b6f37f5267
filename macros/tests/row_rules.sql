{#- Generic test: every rule a model's rows obey, checked in one query (one dbt node per model).

    dbt spends ~20 ms of its own per test node whatever the query, so a model with a dozen
    not_null/accepted_values/expression tests costs a quarter of a second to test, more than
    its SQL. This test states them all at once and returns one row per broken rule, with the
    rule's name and how many rows break it (the build prints them):

        not_null:        [col, ...]              the column is never null
        unique:          [col or [col, ...], ...] no two rows share the value(s) (the grain;
                                                  one column: nulls aside, as dbt's unique)
        accepted_values: {col: [value, ...]}     non-null values are in the list
        expressions:     [sql, or {expression: sql, where: sql}, ...]
                         every row (where `where` holds) makes the expression true (null fails)

    Non-unique rules are counted in one pass over the model (a view is computed once); each
    unique rule is one GROUP BY. -#}
{% test row_rules(model, not_null=[], unique=[], accepted_values={}, expressions=[]) %}
    {%- set counted = [] -%}
    {%- for column in not_null -%}
        {%- do counted.append(('not_null(' ~ column ~ ')', column ~ ' is null')) -%}
    {%- endfor -%}
    {%- for column, values in accepted_values.items() -%}
        {%- set quoted = [] -%}
        {%- for value in values -%}
            {%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
        {%- endfor -%}
        {%- do counted.append(
            ('accepted_values(' ~ column ~ ')', column ~ ' not in (' ~ quoted | join(', ') ~ ')')
        ) -%}
    {%- endfor -%}
    {%- for rule in expressions -%}
        {%- set expression = rule if rule is string else rule['expression'] -%}
        {%- set where = none if rule is string else rule.get('where') -%}
        {%- set broken = 'not coalesce((' ~ expression ~ '), false)' -%}
        {%- set label = 'expression(' ~ expression ~ (' where ' ~ where if where else '') ~ ')' -%}
        {%- do counted.append((label, broken ~ (' and (' ~ where ~ ')' if where else ''))) -%}
    {%- endfor -%}

with

{% if counted %}
rule_counts as (

    select
        {%- for label, broken in counted %}
        count(*) filter (where {{ broken }}) as rule_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

counted_rules as (
    {%- for label, broken in counted %}
    select
        '{{ label | replace("'", "''") }}' as rule,
        rule_{{ loop.index }} as failing_rows
    from rule_counts
    {{ "union all" if not loop.last }}
    {%- endfor %}

),
{% endif %}

{% for columns in unique %}
{%- set key = [columns] if columns is string else columns %}
unique_rule_{{ loop.index }} as (

    select
        'unique({{ key | join(", ") }})' as rule,
        count(*) as failing_rows
    from (
        select {{ key | join(', ') }}
        from {{ model }}
        {% if key | length == 1 %}where {{ key[0] }} is not null{% endif %}
        group by {{ key | join(', ') }}
        having count(*) > 1
    ) as repeated

),
{% endfor %}

final as (

    {% if counted %}select * from counted_rules{% endif %}
    {%- for columns in unique %}
    {{ "union all" if counted or not loop.first }}
    select * from unique_rule_{{ loop.index }}
    {%- endfor %}

)

select * from final
where failing_rows > 0
{% endtest %}
