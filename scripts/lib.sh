#!/usr/bin/env bash
# Shared helpers for scripts/serve and scripts/test: install what is missing, idempotently.
# Sourced, not run. Everything comes from the package registries this machine reaches
# (crates.io, npm, Debian apt); nothing is downloaded from elsewhere.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132.0.0"
CARGO_DENY_VERSION="0.20.2"
# Tools installed from npm live outside the checkout, so fresh clones reuse them.
TOOLS_DIR="${STEMME_TOOLS_DIR:-$HOME/.cache/stemme-tools}"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return; fi
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes, once per machine)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
}

# wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
  if wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then return; fi
  log "installing wasm-bindgen-cli $want"
  # Not --locked: a locked dependency of the CLI is no longer in the index.
  cargo install wasm-bindgen-cli --version "$want"
}

# wasm-opt from npm's binaryen, first on PATH. Never Debian's binaryen (too old: the
# build succeeds but the page never hydrates).
ensure_wasm_opt() {
  if [ -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then return; fi
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
}

ensure_cargo_deny() {
  if cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then return; fi
  log "installing cargo-deny $CARGO_DENY_VERSION (about 6 minutes, once per machine)"
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
}

# The local snapshot of the RustSec advisory database: STEMME_ADVISORY_DB, else
# shared/advisory-db next to the checkout (../shared/advisory-db from the repository root).
advisory_snapshot_dir() {
  echo "${STEMME_ADVISORY_DB:-$(dirname "$ROOT")/shared/advisory-db}"
}

# Checks Cargo.lock against the local RustSec snapshot with cargo-deny, offline, for when
# the online database cannot be fetched. Same rules as online (deny.toml, ignore list
# included); fails on a finding in a crate that is built. Without a snapshot it says so and
# returns 0. cargo-deny reads a database only as a git checkout at
# <db-path>/advisory-db-<hash of the url>, so the (read-only, shared) snapshot is copied
# into a throwaway git repository there; the snapshot itself is never touched.
check_advisories_offline() {
  local snap; snap="$(advisory_snapshot_dir)"
  if [ ! -d "$snap/crates" ]; then
    echo "WARNING: the RustSec advisory database is unreachable and there is no snapshot at $snap" \
      "(set STEMME_ADVISORY_DB to one); advisories NOT checked (see SECURITY.md)" >&2
    return 0
  fi
  echo "advisories: the online RustSec database is unreachable; checking against the snapshot in $snap:" >&2
  if [ -f "$snap/SNAPSHOT" ]; then
    head -n 1 "$snap/SNAPSHOT" >&2
    # Its age, to see when it wants refreshing (the online database wins where reachable).
    local taken
    taken="$(grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:+-]+' "$snap/SNAPSHOT" | head -n 1)" || true
    if [ -n "$taken" ] && taken="$(date -d "$taken" +%s 2>/dev/null)"; then
      echo "(the snapshot is $(( ($(date +%s) - taken) / 86400 )) days old)" >&2
    fi
  fi
  local tmp status=0 db
  tmp="$(mktemp -d /tmp/stemme-advisories.XXXXXX)"
  # deny.toml with the database root pointed into the throwaway directory.
  awk -v root="$tmp/dbs" '{print} /^\[advisories\]$/ {print "db-path = \"" root "\""}' \
    "$ROOT/deny.toml" >"$tmp/deny.toml"
  local deny=(cargo deny --offline --locked --config "$tmp/deny.toml")
  # Where cargo-deny looks for the default database (it logs it before failing to open it).
  db="$("${deny[@]}" -L debug check advisories 2>&1 |
    sed -n "s/.*Opening advisory database at '\([^']*\)'.*/\1/p" | head -n 1)" || true
  if [ -z "$db" ] || [ "${db#"$tmp/dbs/"}" = "$db" ]; then
    echo "could not learn where cargo-deny expects its advisory database (got '${db}')" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$db"
  cp -R "$snap/." "$db/"
  chmod -R u+w "$db"
  git -C "$db" init -q
  git -C "$db" add -A
  git -C "$db" -c user.name=stemme -c user.email=stemme@localhost -c commit.gpgsign=false \
    -c core.hooksPath=/dev/null commit -q -m "RustSec snapshot from $snap"
  "${deny[@]}" check advisories 2>"$tmp/advisories.log" || status=$?
  if [ "$status" = 0 ]; then
    echo "advisories: none affect Cargo.lock (snapshot)" >&2
  else
    cat "$tmp/advisories.log" >&2
    echo "advisories: cargo deny against the snapshot failed (an advisory for a crate that is built, or an error); see above" >&2
  fi
  rm -rf "$tmp"
  return "$status"
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_cargo_leptos
  ensure_wasm_bindgen
  ensure_wasm_opt
}

ensure_chromium() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then return; fi
  log "installing Debian's chromium"
  apt_install chromium
}

ensure_node_modules() {
  local m missing=""
  # The packages the browser tests run with; one missing (node_modules from before it was
  # added) installs them all again from package-lock.json.
  for m in @playwright/test @axe-core/playwright smtp-server mailparser oidc-provider jose; do
    [ -d "$ROOT/end2end/node_modules/$m" ] || missing=1
  done
  if [ -z "$missing" ]; then return; fi
  log "installing the browser-test packages (no browser download)"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
}

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return; fi
  done
  return 1
}

ensure_postgres_binaries() {
  if pg_bin_dir >/dev/null; then return; fi
  log "installing PostgreSQL from apt"
  apt_install postgresql
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts a throwaway PostgreSQL cluster; sets PG_DIR, PG_PORT and PG_URL.
# Stop it with stop_postgres (the caller traps it).
start_postgres() {
  ensure_postgres_binaries
  local bin; bin="$(pg_bin_dir)"
  PG_DIR="$(mktemp -d /tmp/stemme-pg.XXXXXX)"
  PG_PORT="$(free_port)"
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || as_root useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=200" -w start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  PG_RUN=("${run[@]}")
  PG_BIN="$bin"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
