"""Alur: Standard Operating Procedures (SOP AP) of Indonesian regional government, run as software."""
