{#- Use custom schema names as written (staging, intermediate, seeds) instead of
    dbt's default "<target>_<custom>", so SQL users see short, stable names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
