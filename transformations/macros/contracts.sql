{# generated from lake/core/contracts/ by `python -m lake.apps.dbt_sources` (lakehouse dbt-sources); do not edit #}

{# the marts (gold contracts) #}
{% macro contract_marts() %}{{ return(['dim_locality', 'dim_agency', 'dim_document_type', 'dim_date', 'dim_retention', 'fct_records', 'fct_documents', 'fct_pages', 'fct_page_texts', 'fct_digitization_plan', 'fct_deadline_status', 'fct_digitization_progress']) }}{% endmacro %}

{# columns no mart may have: tagged PII or restricted in a contract #}
{% macro contract_banned_columns() %}{{ return(['fields', 'full_text', 'keywords', 'notes', 'personal_data', 'recipients', 'secrecy', 'signer_name', 'signer_title', 'title']) }}{% endmacro %}

{# each mart's document-text columns (tag text) #}
{% macro contract_text_columns() %}{{ return({'fct_documents': ['number', 'symbol', 'issuer_abbr', 'document_date', 'issuer', 'subject'], 'fct_page_texts': ['number', 'symbol', 'issuer', 'subject', 'document_date', 'recognised_text', 'raw_text']}) }}{% endmacro %}
