"""The lake's foundation: settings, secrets, OS accounts, table contracts, Delta storage, run records.

Imports only the standard library, third-party packages and other `lake.core` modules.
"""
