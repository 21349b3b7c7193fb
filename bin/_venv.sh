# Sourced by bin/run and bin/test: make sure .venv exists with the given requirements installed.
# Usage: ensure_venv requirements-file [progress]
# With "progress" (bin/run) every package pip collects and installs is shown as one line;
# without it (bin/test) pip stays quiet and only the step lines are printed.
ensure_venv() {
  local reqs=$1 progress=${2:-} py=""
  for cand in python3.13 python3.12 python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      py=$cand; break
    fi
  done
  if [ -z "$py" ]; then echo "Python 3.11 or newer is required." >&2; exit 1; fi
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $("$py" --version) (a few seconds)..."
    "$py" -m venv .venv
  fi
  # Reinstall only when a requirements file changed since the last install.
  local stamp=.venv/.installed-$(basename "$reqs")
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    local started=$SECONDS
    if [ "$progress" = progress ]; then
      echo "Installing $reqs: about 2 to 3 minutes on a first run, one line per package..."
      # pip's own lines, numbered; its bars are off in a pipe. Drop the noise of this machine's
      # pip config (extra local indexes that may be absent) and the "already satisfied" lines.
      .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -r "$reqs" 2>&1 \
        | { grep --line-buffered -E "^(Collecting|Installing collected|Successfully installed|ERROR)" || true; } \
        | { awk '/^Collecting/ { n++; printf "  [%d] %s\n", n, $0; fflush(); next } { print "  " $0; fflush() }'; }
    else
      echo "Installing $reqs..."
      .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs" 2>&1 \
        | { grep -v "^WARNING: Location 'file:" || true; }
    fi
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "pip install failed" >&2; exit 1; }
    echo "$digest" > "$stamp"
    echo "Installed $reqs in $((SECONDS - started)) s."
  fi
}
