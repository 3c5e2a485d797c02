# Sourced (not run) by every script that runs `npm install`/`npm ci`: native npm packages are
# compiled here instead of fetched from outside the npm registry.
#  - node-pre-gyp (argon2, in code-server) and prebuild-install (kerberos in code-server, keytar in
#    @vscode/vsce) first try a prebuilt binary from GitHub releases; with
#    npm_config_build_from_source=true they skip that download and compile with node-gyp.
#    (@parcel/watcher, in code-server, then compiles too, instead of taking its prebuilt package
#    from the npm registry.)
#  - node-gyp compiles against the headers of the installed Node (<prefix>/include/node) instead
#    of downloading them from nodejs.org.
# (npm 11 warns 'Unknown env config "build-from-source"': npm itself has no such setting, but it
# passes the variable on to the install scripts, which read it.)
# Needs a C/C++ toolchain (Debian: build-essential, pkg-config) and the libraries of those
# packages (libkrb5-dev, libsecret-1-dev, libxkbfile-dev); scripts/setup-test-env.sh installs them.

export npm_config_build_from_source=true

plx_node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ ! -f "$plx_node_prefix/include/node/node_version.h" ]; then
  echo "Node's C headers are not in $plx_node_prefix/include/node; native npm packages cannot be compiled" \
    "without downloading them. Install a Node 20 that ships them (e.g. NodeSource's nodejs package)." >&2
  return 1
fi
export npm_config_nodedir="$plx_node_prefix"
unset plx_node_prefix
