{#- Parse a date delivered as text: dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO yyyy-mm-dd[...]
    (same rules as lake.domain.silver.inventory.parse_date). try_* functions: a bad value gives NULL under ANSI mode. -#}
{% macro parse_vn_date(column) -%}
    coalesce(
        try_to_date(regexp_replace(trim({{ column }}), '[.\\-]', '/'), 'd/M/yyyy'),
        try_to_date(substr(trim({{ column }}), 1, 10), 'yyyy-MM-dd')
    )
{%- endmacro %}

{#- Parse a timestamp delivered as ISO 8601 text (with or without offset). -#}
{% macro parse_ts(column) -%}
    try_cast(trim({{ column }}) as timestamp)
{%- endmacro %}

{#- Parse an integer delivered as text ("12", "12.0"). -#}
{% macro parse_int(column) -%}
    try_cast(try_cast(trim({{ column }}) as double) as int)
{%- endmacro %}

{#- Parse a decimal delivered as text, with a decimal point or a Vietnamese decimal comma ("1.2", "1,2"). -#}
{% macro parse_decimal(column) -%}
    try_cast(replace(trim({{ column }}), ',', '.') as double)
{%- endmacro %}
