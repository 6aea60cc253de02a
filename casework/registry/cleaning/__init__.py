"""Đề án 06: cleaning a child's record for the national child information system, as a
workflow of its own (``workflows/definitions/data_cleaning.yaml``)."""
