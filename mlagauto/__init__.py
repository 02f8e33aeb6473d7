"""mlagauto: build, audit, push and validate switch-side MLAG configuration."""

__version__ = "0.1.0"
