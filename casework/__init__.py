"""Casework: case management for child-protection incidents in Vietnamese communes."""
