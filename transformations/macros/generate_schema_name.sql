{#- Write into the schema named in the config (gold, gold_staging) rather than dbt's default
    <target schema>_<custom schema> (gold_gold). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
