"""Sandboxes of the services the portal talks to: one WSGI app each, speaking
the real service's wire format, seeded with demo data, for local runs and tests."""
