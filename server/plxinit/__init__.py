"""plxinit: schema, validator, CLI and language server for Polyaxon `init` sections."""

__version__ = "0.1.0"
