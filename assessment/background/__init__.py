"""Slow work off the request path: emails, PDF renderings and ZIP exports, run as django-tasks
tasks (`assessment.tasks`) by `manage.py run_worker`, with their state in the database."""
