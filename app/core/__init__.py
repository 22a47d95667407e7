"""Shared pieces every feature uses: roles, domain errors, time."""
