#!/usr/bin/env bash
# End-to-end test of the plx-init extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3),
# driven headless by Debian's chromium through playwright-core. Works offline: only the npm and Debian
# registries are used, at setup time (native modules are compiled, never fetched from GitHub:
# scripts/npm-registry-only.sh); nothing is downloaded at run time.
#
# Usage:  test/e2e/run.sh            # setup (idempotent) + one e2e run
#         test/e2e/run.sh setup      # apt packages, code-server, playwright-core (into $PLX_E2E_ROOT)
#         test/e2e/run.sh run        # build + package the .vsix, run the UI test (after setup)
# Env:
#   PLX_LSP              path to a `plx-lsp` executable (e.g. `python3 -m venv V && V/bin/pip install /work/main`
#                        then PLX_LSP=V/bin/plx-lsp). Required for `run`.
#   PLX_E2E_ROOT         cache/work dir outside the repo (default /tmp/plx-e2e)
#   PLX_E2E_SCREENSHOT=1 also save the success screenshots into vscode-extension/images/ (for the README)
#   PLX_E2E_TIMEOUT      per-UI-condition timeout in ms (default 30000)
#   PLX_E2E_KEEP=1       keep the run dir (otherwise removed on success)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT_DIR=$(cd "$HERE/../.." && pwd)
# shellcheck source=../../../scripts/npm-registry-only.sh
. "$EXT_DIR/../scripts/npm-registry-only.sh"
ROOT=${PLX_E2E_ROOT:-/tmp/plx-e2e}
CS_VERSION=4.100.3                  # VS Code 1.100.3; engines.node 20 = the system Node
PW_VERSION=1.65.1                   # playwright-core (drives the system chromium; no browser download)
RG_PKG_VERSION=1.15.11              # @vscode/ripgrep pinned by code-server 4.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CHROMIUM=${PLX_E2E_CHROMIUM:-/usr/bin/chromium}
mkdir -p "$ROOT"
ROOT=$(cd "$ROOT" && pwd)

t_start=$SECONDS
step() { printf '\n=== [%4ss] %s\n' "$((SECONDS - t_start))" "$*"; }

# ---------------------------------------------------------------------------------------------
setup() {
  step "apt: chromium, ripgrep, curl, native-build deps"
  local pkgs=(chromium ripgrep curl build-essential python3 python3-venv pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev)
  local missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then
      apt-get update
      DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    else
      echo "missing Debian packages (run as root or install them): ${missing[*]}" >&2; exit 1
    fi
  fi

  [ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || {
    echo "code-server@$CS_VERSION needs Node 20 (found $(node -v))" >&2; exit 1; }

  step "code-server@$CS_VERSION into $ROOT/cs"
  if [ ! -f "$ROOT/cs/node_modules/code-server/out/node/entry.js" ]; then
    # @vscode/ripgrep's postinstall would download rg from GitHub; it first looks for
    # $TMPDIR/vscode-ripgrep-cache-<ver>/<asset>, so seed that with Debian's rg (13.0.0, the same version).
    mkdir -p "$ROOT/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION" "$ROOT/rgpkg"
    cp "$(command -v rg)" "$ROOT/rgpkg/rg"
    tar czf "$ROOT/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ASSET" -C "$ROOT/rgpkg" rg
    rm -rf "$ROOT/cs"; mkdir -p "$ROOT/cs"
    echo '{"name":"plx-e2e-cs","version":"1.0.0","private":true}' > "$ROOT/cs/package.json"
    if ! (
      cd "$ROOT/cs"
      export TMPDIR="$ROOT/tmp"           # os.tmpdir() -> the seeded ripgrep cache
      export npm_config_unsafe_perm=true  # code-server's postinstall refuses root without it
      export npm_config_yes=true          # node-pty's postinstall runs `npx node-gyp ...`
      npm install --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION"
    ) > "$ROOT/cs-install.log" 2>&1; then
      tail -40 "$ROOT/cs-install.log" >&2
      echo "code-server install failed; full log: $ROOT/cs-install.log" >&2
      rm -rf "$ROOT/cs/node_modules"
      exit 1
    fi
    [ -f "$ROOT/cs/node_modules/code-server/out/node/entry.js" ] || { echo "code-server not installed" >&2; exit 1; }
  fi

  step "playwright-core@$PW_VERSION into $ROOT/driver"
  if [ ! -f "$ROOT/driver/node_modules/playwright-core/package.json" ]; then
    mkdir -p "$ROOT/driver"
    echo '{"name":"plx-e2e-driver","version":"1.0.0","private":true}' > "$ROOT/driver/package.json"
    (cd "$ROOT/driver" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund "playwright-core@$PW_VERSION")
  fi
  step "setup done"
}

# ---------------------------------------------------------------------------------------------
CS_PID=""
stop_cs() {
  if [ -n "$CS_PID" ]; then
    # whole process group: code-server, extension host, file watcher, language server
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  CS_PID=""
}

write_workspace() {   # $1 = workspace dir
  mkdir -p "$1"
  # (a) a polyaxonfile whose single init entry has two built-in handlers -> one-handler error
  cat > "$1/polyaxonfile.yaml" <<'EOF'
version: 1.1
kind: component
name: e2e-demo
run:
  kind: job
  init:
    - artifacts: {dirs: [data]}
      git: {url: https://github.com/o/r}
  container:
    image: python:3.11
    command: [python, train.py]
EOF
  # (b) a plain YAML file with the same mistake; it is not a polyaxonfile, so it must stay untouched
  cat > "$1/other.yaml" <<'EOF'
# Not a polyaxonfile: no diagnostics expected here.
service: demo
init:
  - artifacts: {dirs: [data]}
    git: {url: https://github.com/o/r}
    bogus: 1
EOF
}

run_e2e() {
  [ -n "${PLX_LSP:-}" ] || { echo "PLX_LSP must point to a plx-lsp executable (pip install /work/main into a venv)" >&2; exit 2; }
  PLX_LSP=$(readlink -f "$PLX_LSP")
  [ -x "$PLX_LSP" ] || { echo "PLX_LSP=$PLX_LSP is not executable" >&2; exit 2; }
  [ -f "$ROOT/cs/node_modules/code-server/out/node/entry.js" ] && [ -f "$ROOT/driver/node_modules/playwright-core/package.json" ] \
    || { echo "run setup first: $0 setup" >&2; exit 2; }
  step "server: $PLX_LSP --version -> $("$PLX_LSP" --version 2>&1 | head -1)"

  step "build + package the extension"
  (
    cd "$EXT_DIR"
    [ -d node_modules/vscode-languageclient ] || npm ci --no-audit --no-fund
    npm run --silent build
    npm run --silent package
  )
  local VSIX="$EXT_DIR/plx-init.vsix"
  [ -f "$VSIX" ] || { echo "no $VSIX" >&2; exit 1; }

  local RUN; RUN=$(mktemp -d "$ROOT/run.XXXXXX")
  mkdir -p "$RUN/ext" "$RUN/data/User" "$RUN/xdg"
  write_workspace "$RUN/ws"
  cat > "$RUN/data/User/settings.json" <<EOF
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "editor.quickSuggestions": {"other": false, "comments": false, "strings": false},
  "editor.hover.delay": 100,
  "window.commandCenter": false,
  "editor.wordBasedSuggestions": "off",
  "editor.minimap.enabled": false,
  "workbench.editor.enablePreview": false,
  "chat.commandCenter.enabled": false,
  "plx.server.path": "$PLX_LSP",
  "plx.trace.server": "messages"
}
EOF
  # keep code-server's config/data/cache out of ~
  export XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache"
  local CS=(node "$ROOT/cs/node_modules/code-server/out/node/entry.js" --config "$RUN/config.yaml"
            --extensions-dir "$RUN/ext" --user-data-dir "$RUN/data")

  step "install $(basename "$VSIX") into a fresh extensions dir"
  "${CS[@]}" --install-extension "$VSIX"

  local PORT; PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  step "start code-server on 127.0.0.1:$PORT"
  # The server must not find a plx-lsp some other way: only plx.server.path is offered.
  setsid "${CS[@]}" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
    --disable-workspace-trust "$RUN/ws" > "$RUN/code-server.log" 2>&1 &
  CS_PID=$!
  trap stop_cs EXIT
  local up=0
  for _ in $(seq 240); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; then up=1; break; fi
    kill -0 "$CS_PID" 2>/dev/null || break
    sleep 0.25
  done
  [ "$up" = 1 ] || { cat "$RUN/code-server.log" >&2; echo "code-server did not come up" >&2; exit 1; }

  step "playwright + chromium drive the workbench"
  local SHOTDIR="$RUN/shots"; mkdir -p "$SHOTDIR"
  local rc=0
  CS_URL="http://127.0.0.1:$PORT" WS_FOLDER="$RUN/ws" SHOT_DIR="$SHOTDIR" PLX_LSP="$PLX_LSP" CHROME_TMP="$RUN" CHROMIUM="$CHROMIUM" \
    PLX_E2E_TIMEOUT="${PLX_E2E_TIMEOUT:-30000}" NODE_PATH="$ROOT/driver/node_modules" \
    timeout 300 node "$HERE/driver.js" || rc=$?

  step "stop code-server (process group $CS_PID)"
  stop_cs
  trap - EXIT

  local log; log=$(ls "$RUN"/data/logs/*/exthost*/output_logging_*/*"Polyaxon Init"*.log 2>/dev/null | head -1 || true)
  if [ "$rc" != 0 ]; then
    echo "---- Polyaxon Init output channel (tail) ----"; [ -n "$log" ] && tail -60 "$log" || echo "(no log)"
    [ -f "$SHOTDIR/failure.png" ] && cp "$SHOTDIR/failure.png" "$ROOT/failure.png" && echo "failure screenshot: $ROOT/failure.png"
    echo "---- screenshots: $SHOTDIR"; ls "$SHOTDIR" || true
    echo "run dir kept: $RUN"
    echo "RESULT: FAIL (rc=$rc)"
    return "$rc"
  fi
  if [ "${PLX_E2E_SCREENSHOT:-}" = 1 ]; then
    mkdir -p "$EXT_DIR/images"
    cp "$SHOTDIR"/*.png "$EXT_DIR/images/"
    echo "screenshots saved to $EXT_DIR/images/: $(cd "$SHOTDIR" && ls *.png | tr '\n' ' ')"
  fi
  if [ "${PLX_E2E_KEEP:-}" = 1 ]; then echo "run dir kept: $RUN"; else rm -rf "$RUN"; fi
  echo "RESULT: PASS"
}

case "${1:-all}" in
  setup) setup ;;
  run)   run_e2e ;;
  all)   setup; run_e2e ;;
  *) echo "usage: $0 [setup|run|all]" >&2; exit 2 ;;
esac
