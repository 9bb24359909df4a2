"""The command line: one module per command, each with ``configure_parser`` and ``execute``."""
