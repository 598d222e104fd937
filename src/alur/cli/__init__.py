"""The `alur` command line for operators and scripts: parses arguments, calls one service, prints."""
