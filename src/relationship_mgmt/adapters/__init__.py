"""Storage and system adapters, imported by module path (never by the top package).

- :mod:`relationship_mgmt.adapters.memory`: in-memory reference adapter.
- :mod:`relationship_mgmt.adapters.sql`: SQLite and PostgreSQL (extras ``sql``,
  ``postgres``).
- :mod:`relationship_mgmt.adapters.system`: the system clock.
"""
