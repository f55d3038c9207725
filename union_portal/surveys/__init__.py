"""Satisfaction surveys (满意度测评), a capability of the core: a district or city builds a short survey,
members of its subtree answer it once and anonymously, staff read aggregates only. The dashboard scores
units by them in its assessments; labour's return visits will ask workers through them.

models (imported into union_portal.models), services, selectors, forms, views and urls (namespace
``surveys``), api (under /api/v1/surveys/)."""
