"""Consultations: question rounds owned by an organisation, joined with a short code."""
