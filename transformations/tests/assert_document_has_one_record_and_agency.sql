-- Every document belongs to exactly one record and one agency, and its agency is its record's agency.
select d.document_code, count(r.record_code) as records, count(a.agency_code) as agencies
from {{ ref('fct_documents') }} as d
left join {{ ref('fct_records') }} as r on r.record_code = d.record_code
left join {{ ref('dim_agency') }} as a on a.agency_code = d.agency_code
group by d.document_code
having count(r.record_code) <> 1 or count(a.agency_code) <> 1
    or max(case when r.agency_code <> d.agency_code then 1 else 0 end) = 1
