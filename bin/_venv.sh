# Sourced by bin/run and bin/test: make sure .venv exists with the given requirements installed.
# Usage: ensure_venv requirements-file
ensure_venv() {
  local reqs=$1 py=""
  for cand in python3.13 python3.12 python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      py=$cand; break
    fi
  done
  if [ -z "$py" ]; then echo "Python 3.11 or newer is required." >&2; exit 1; fi
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $("$py" --version)..."
    "$py" -m venv .venv
  fi
  # Reinstall only when a requirements file changed since the last install.
  local stamp=.venv/.installed-$(basename "$reqs")
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "Installing $reqs..."
    # This machine's pip config names extra local indexes that may be absent; drop that noise only.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs" 2>&1 \
      | { grep -v "^WARNING: Location 'file:" || true; }
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "pip install failed" >&2; exit 1; }
    echo "$digest" > "$stamp"
  fi
}
