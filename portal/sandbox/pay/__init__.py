"""Sandbox GOV.UK Pay."""
