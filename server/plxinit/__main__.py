"""`python -m plxinit` starts the language server (same as the `plx-lsp` script)."""

from plxinit.lsp.bootstrap import main

if __name__ == "__main__":
    main()
