"""Statutory reporting from the data: the statistics of Thông tư 13/2021 and the commune's
own timeliness figures (``indicators``, ``timeliness``), the population figures they divide
by (``population``), and their page and workbook."""
