#!/usr/bin/env bash
# Install what the test suite needs beyond the project venv: the Polyaxon oracle venv,
# Debian packages for the editor tests, and the npm packages of the extension and of the
# third-party schema tools. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${PLX_SHARED_DIR:-../shared}

# Polyaxon 2.18.0, only as a test oracle, in its own venv.
if [ ! -x .venv-oracle/bin/python ] || ! .venv-oracle/bin/python -c "import polyaxon" 2>/dev/null; then
  python3 -m venv .venv-oracle
  .venv-oracle/bin/pip install -q -r "$SHARED/reference/oracle-requirements.txt"
fi

# Debian packages: a real LSP client (Neovim) and the browser for the VS Code e2e test.
apt_needed=""
command -v nvim >/dev/null || apt_needed="$apt_needed neovim"
command -v emacs >/dev/null || apt_needed="$apt_needed emacs-nox"
dpkg -s elpa-eglot >/dev/null 2>&1 || apt_needed="$apt_needed elpa-eglot"
command -v chromium >/dev/null || apt_needed="$apt_needed chromium"
command -v rg >/dev/null || apt_needed="$apt_needed ripgrep"
for pkg in build-essential pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_needed="$apt_needed $pkg"
done
if [ -n "$apt_needed" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $apt_needed >/dev/null
  else
    echo "setup: missing Debian packages:$apt_needed (run as root or install them)" >&2
    exit 1
  fi
fi

# npm packages for the third-party schema tools (ajv, yaml-language-server).
if [ -f tests/export/node/package-lock.json ]; then
  (cd tests/export/node && npm ci --no-audit --no-fund --loglevel=error)
fi
