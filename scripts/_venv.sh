# Sourced by scripts/*: makes .venv with the python3 it finds and installs what the
# caller asks for, once per change of pyproject.toml (a stamp file remembers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

ensure_venv() {
  # $1: a label for the stamp; the rest: arguments for pip install.
  local label="$1"; shift
  if [ ! -x "$PY" ]; then
    local base
    base="$(command -v python3 || command -v python || true)"
    if [ -z "$base" ]; then echo "python3 not found: install Python 3.11 or newer" >&2; exit 1; fi
    "$base" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
      || { echo "Python 3.11 or newer is needed (found $("$base" --version))" >&2; exit 1; }
    "$base" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$label"
  local want
  want="$(cat "$ROOT/pyproject.toml" "${BASH_SOURCE[0]}" | "$PY" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
    (cd "$ROOT" && "$PY" -m pip install --quiet --disable-pip-version-check "$@")
    echo "$want" > "$stamp"
  fi
}
