"""The JSON API under /api/v1/ (Django REST framework, schema by drf-spectacular).

Views parse and answer; reads go through `assessment.access` and `assessment.records`, writes
through the services, exactly as the pages do. No reviewer action is possible with a token.
"""
