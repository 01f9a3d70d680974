"""Hà Nội shared administrative lakehouse: settings, Spark runtime, table contracts, domain logic, CLI."""

__version__ = "0.1.0"
