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

{#- A text value without the whitespace around it: ASCII whitespace and the no-break space
    (lake.domain.silver.inventory.SPACE). -#}
{% macro trim_space(column) -%}
    regexp_replace({{ column }}, '^[ \\t\\n\\r\\f\\x0B\\xA0]+|[ \\t\\n\\r\\f\\x0B\\xA0]+\\z', '')
{%- endmacro %}

{#- Parse an integer delivered as text, by the rule of lake.domain.silver.inventory.parse_int (one table of cases
    checks both, tests/silver/test_integer_rule.py): a number whose fraction is zeros ("12", "12.0", "12,00", "-3")
    is that integer, one with a real fraction ("12.5") is NULL; otherwise a text with exactly one run of digits
    ("Hộp 03", "12 hộp") is that number; anything else, or a value outside the int range, is NULL. -#}
{% macro parse_int(column) -%}
    {%- set t = trim_space(column) -%}
    case
        when {{ t }} rlike '^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)\\z' then
            case when regexp_extract({{ t }}, '[.,]([0-9]*)\\z', 1) rlike '^0*\\z' then
                try_cast(concat(regexp_extract({{ t }}, '^[+-]?', 0),
                                coalesce(nullif(regexp_extract({{ t }}, '^[+-]?([0-9]*)', 1), ''), '0')) as int)
            end
        when size(regexp_extract_all({{ t }}, '[0-9]+', 0)) = 1 then try_cast(regexp_extract({{ t }}, '[0-9]+', 0) as int)
    end
{%- endmacro %}

{#- Parse a decimal delivered as text, with a decimal point or a Vietnamese decimal comma ("1.2", "1,2"). -#}
{% macro parse_decimal(column) -%}
    try_cast(replace(trim({{ column }}), ',', '.') as double)
{%- endmacro %}
