"""Demo data for development and benchmarks, not a domain service: realistic submitted
assessments (seed), from names, projects and texts (vocabulary). Used by `manage.py seed_demo`,
`manage.py demo_setup` and `bench/review_bench.py`."""
