"""wheelscout: see, per target platform, how every package in a requirement set would install."""

__all__ = ["__version__"]

__version__ = "0.1.0"
