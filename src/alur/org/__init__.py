"""The organisation: units (the Biro, the OPDs, the TKKSD), roles, and who holds which role where."""
