"""Notices for people: in the app (the bell) and by e-mail, each stored once per person and key."""
