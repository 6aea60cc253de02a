"""Casework's side of notifications: which workflow steps speak, what the templates show,
the relay's wiring to settings, the daily digest, and messages on the case's timeline."""
