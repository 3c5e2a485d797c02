#!/usr/bin/env bash
# Install what the test suite needs beyond the project venv: the Polyaxon oracle venv,
# Debian packages for the editor tests and for compiling native npm packages, and the npm
# packages of the third-party schema tools. Idempotent: a second run only checks.
# Downloads come only from PyPI, the npm registry and the Debian archive (README: "What
# `make test` needs"); nothing here reads ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."

# Polyaxon 2.18.0, only as a test oracle, in its own venv, from the pins kept in the repository.
# The copy of the pins inside the venv tells whether it is up to date with them.
ORACLE_PINS=tests/oracle/requirements.txt
if ! cmp -s "$ORACLE_PINS" .venv-oracle/requirements.txt || ! .venv-oracle/bin/python -c "import polyaxon" 2>/dev/null; then
  python3 -m venv .venv-oracle
  .venv-oracle/bin/pip install -q -r "$ORACLE_PINS"
  cp "$ORACLE_PINS" .venv-oracle/requirements.txt
fi

# Debian packages: real LSP clients (Neovim; Emacs with eglot), the browser and ripgrep of the
# VS Code end-to-end test, curl (its health check), and a toolchain plus the libraries that
# code-server's and @vscode/vsce's native modules compile against (scripts/npm-registry-only.sh).
apt_needed=""
command -v nvim >/dev/null || apt_needed="$apt_needed neovim"
command -v emacs >/dev/null || apt_needed="$apt_needed emacs-nox"
dpkg -s elpa-eglot >/dev/null 2>&1 || apt_needed="$apt_needed elpa-eglot"
command -v chromium >/dev/null || apt_needed="$apt_needed chromium"
command -v rg >/dev/null || apt_needed="$apt_needed ripgrep"
command -v curl >/dev/null || apt_needed="$apt_needed curl"
for pkg in build-essential pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_needed="$apt_needed $pkg"
done
if [ -n "$apt_needed" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install$apt_needed"
    apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $apt_needed >/dev/null
  else
    echo "setup: missing Debian packages:$apt_needed (run as root or install them)" >&2
    exit 1
  fi
fi

# npm packages for the third-party schema tools (ajv, yaml-language-server).
# shellcheck source=scripts/npm-registry-only.sh
. scripts/npm-registry-only.sh
if [ -f tests/export/node/package-lock.json ]; then
  (cd tests/export/node && npm ci --no-audit --no-fund --loglevel=error)
fi
