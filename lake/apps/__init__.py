"""What people and jobs call: the `lakehouse` CLI, metadata publishing, reports, publishing, dbt runs, the web apps.

May import every other layer.
"""
