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
