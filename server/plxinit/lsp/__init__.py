"""plx-lsp: the language server for the `init` section of polyaxonfiles.

Thin LSP wiring around the core (`plxinit.validate`, `plxinit.yamldoc`, `plxinit.schema`):
`server` registers the handlers, the other modules each do one job.
"""
