#!/usr/bin/env bash
# Build and test the VS Code extension: typecheck, unit tests, .vsix, then the end-to-end
# test in a real VS Code (code-server) driven by headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../vscode-extension"
# shellcheck source=scripts/npm-registry-only.sh
. ../scripts/npm-registry-only.sh  # keytar (of @vscode/vsce) compiles instead of fetching from GitHub
npm ci --no-audit --no-fund --loglevel=error
npm run typecheck
npm test
npm run package
PLX_LSP="$(cd .. && pwd)/.venv/bin/plx-lsp" npm run e2e
