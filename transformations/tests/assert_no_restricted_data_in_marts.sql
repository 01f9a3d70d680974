-- Classified and personal data stay out of the marts:
--  1. no mart has a column that a contract tags as personal data (PII) or restricted;
--  2. restricted documents carry no text in fct_documents, and none of their pages is in fct_page_texts;
--  3. no mart column holds a value of the restricted table's signer names.
-- The marts, the banned columns and the text columns come from the contracts (macros/contracts.sql, generated
-- by `lakehouse dbt-sources` from lake/core/contracts/).
{% set banned = contract_banned_columns() %}
{% set marts = contract_marts() %}
{% set document_text = contract_text_columns()['fct_documents'] %}
{% for m in marts %}
-- depends_on: {{ ref(m) }}
{% endfor %}
{% set offending = [] %}
{% if execute %}
    {% for m in marts %}
        {% for col in adapter.get_columns_in_relation(ref(m)) %}
            {% if col.name | lower in banned %}{% do offending.append(m ~ '.' ~ col.name) %}{% endif %}
        {% endfor %}
    {% endfor %}
{% endif %}

select 'banned column' as problem, '{{ offending | join(",") }}' as detail
where {{ 'true' if offending else 'false' }}
union all
select 'text on a restricted document', document_code
from {{ ref('fct_documents') }}
where is_restricted
    and coalesce({% for c in document_text %}cast({{ c }} as string){{ ', ' if not loop.last }}{% endfor %}) is not null
union all
select 'page text of a restricted document', t.page_id
from {{ ref('fct_page_texts') }} as t
inner join {{ source('silver', 'restricted_documents') }} as r on r.document_code = t.document_code
union all
select 'signer name in fct_documents', d.document_code
from {{ ref('fct_documents') }} as d
-- distinct names first: the same signer signs many documents, and this is a LIKE join over every document
inner join (
    select distinct signer_name from {{ source('silver', 'restricted_documents') }} where signer_name is not null
) as r
    on d.subject like concat('%', r.signer_name, '%') or d.issuer like concat('%', r.signer_name, '%')
