#!/usr/bin/env bash
# Checks that Hearken's API keeps its contract (/api/openapi.json): schemathesis sends
# generated requests, valid and invalid, to a real `hearken serve`, on SQLite and on
# PostgreSQL, and fails on any 5xx and on any answer the document does not describe
# (status, content type, headers, body schema).
#
# Each backend gets three bounded runs against a fresh server:
#   1. authenticated: every staff route, with a bearer token of a dedicated admin
#      (`st-admin`), except the three below;
#   2. public: the public portal's API, with no login; its rate limits answer 429 with
#      Retry-After, which the document describes, so they are not failures;
#   3. destructive, last: password resets, user changes and token revocation, which may
#      lock the token's own user out or revoke the token itself (then 401, documented).
#
# Environment:
#   HEARKEN_BIN                 the binary (default target/debug/hearken; built if missing)
#   HEARKEN_TEST_PG             PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/postgres)
#   SCHEMATHESIS_BACKENDS       "sqlite postgres" by default
#   SCHEMATHESIS_MAX_EXAMPLES   examples per operation and phase (default 8)
#   SCHEMATHESIS_TIMEOUT        seconds per run before it is stopped and failed (default 170)
#   SCHEMATHESIS_PHASES         default examples,fuzzing (add coverage for a longer, deeper run)
#   CI                          when set, missing PostgreSQL or Python fails instead of skipping
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

ST_VERSION=4.32.5
VENV="$ROOT/.venv-schemathesis"
BIN=${HEARKEN_BIN:-$ROOT/target/debug/hearken}
PG_ADMIN_URL=${HEARKEN_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}
BACKENDS=${SCHEMATHESIS_BACKENDS:-sqlite postgres}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-8}
RUN_TIMEOUT=${SCHEMATHESIS_TIMEOUT:-170}

say() { printf 'schemathesis.sh: %s\n' "$*"; }
skip_or_fail() {
  if [ -n "${CI:-}" ]; then say "$*"; exit 1; fi
  say "WARNING: $*; skipped"
  exit 0
}

# --- schemathesis, pinned, in an ignored venv ---
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qx "schemathesis, version $ST_VERSION"; then
  PY=$(command -v python3.11 || command -v python3 || true)
  [ -n "$PY" ] || skip_or_fail "no python3 to install schemathesis with"
  say "installing schemathesis $ST_VERSION into $VENV"
  { "$PY" -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$ST_VERSION"; } ||
    skip_or_fail "could not install schemathesis $ST_VERSION"
fi
ST="$VENV/bin/schemathesis"
PYJ="$VENV/bin/python"

[ -x "$BIN" ] || cargo build --quiet -p hearken

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hearken-st-XXXXXX")
SERVER_PID=""
DB_NAME=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
  if [ -n "$DB_NAME" ]; then
    psql "$PG_ADMIN_URL" -qAtX -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
    DB_NAME=""
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# Starts `hearken serve` on a free port; sets BASE and ADMIN_PW.
start_server() {
  local backend=$1 data="$WORK/data-$1" log="$WORK/server-$1.log"
  mkdir -p "$data"
  : >"$log"
  local args=(serve --data "$data" --bind 127.0.0.1:0)
  if [ "$backend" = postgres ]; then
    DB_NAME="hearken_e2e_st_$(date +%s)_$$"
    psql "$PG_ADMIN_URL" -qAtX -c "CREATE DATABASE $DB_NAME" >/dev/null
    args+=(--database-url "${PG_ADMIN_URL%/*}/$DB_NAME")
  fi
  # The server must not pick up a developer's HEARKEN_* settings.
  env $(env | awk -F= '/^HEARKEN_/ {printf "-u %s ", $1}') RUST_LOG=warn \
    "$BIN" "${args[@]}" >"$log" 2>&1 &
  SERVER_PID=$!
  BASE="" ADMIN_PW=""
  for _ in $(seq 1 240); do
    BASE=$(sed -n 's|.*Hearken is serving at \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$log" | head -n1 || true)
    ADMIN_PW=$(sed -n 's|.*one-time password *\([^ ]*\).*|\1|p' "$log" | head -n1 || true)
    [ -n "$BASE" ] && [ -n "$ADMIN_PW" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  say "hearken did not start on $backend:"
  cat "$log" >&2
  return 1
}

# POSTs JSON with a cookie jar; prints the body, fails on a non-2xx answer.
post_json() {
  curl -sS --fail-with-body -b "$WORK/jar" -c "$WORK/jar" -H 'content-type: application/json' \
    -X POST "$BASE$1" -d "$2"
}

# A dedicated admin and its bearer token, so that the bootstrap admin stays untouched.
make_token() {
  rm -f "$WORK/jar"
  post_json /api/v1/session "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" >/dev/null
  # The one-time password must be changed before anything else.
  post_json /api/v1/me/password \
    "{\"current_password\":\"$ADMIN_PW\",\"new_password\":\"Schemathesis-admin-2026\"}" >/dev/null
  post_json /api/v1/users \
    '{"username":"st-admin","display_name":"schemathesis","role":"admin","unit":"ROOT","password":"Schemathesis-2026"}' >/dev/null
  rm -f "$WORK/jar"
  post_json /api/v1/session '{"username":"st-admin","password":"Schemathesis-2026"}' >/dev/null
  post_json /api/v1/tokens '{"name":"schemathesis"}' | "$PYJ" -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
DESTRUCTIVE=(--include-operation-id reset_password --include-operation-id update_user --include-operation-id revoke)

# One bounded schemathesis run; extra arguments select the operations and the auth.
run_st() {
  local name=$1; shift
  say "$name"
  local rc=0
  timeout --kill-after=10 "$RUN_TIMEOUT" "$ST" run "$BASE/api/openapi.json" \
    --checks "$CHECKS" \
    --phases "${SCHEMATHESIS_PHASES:-examples,fuzzing}" \
    --max-examples "$MAX_EXAMPLES" \
    --request-timeout 20 \
    --seed "${SCHEMATHESIS_SEED:-20261130}" \
    --no-color \
    "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    say "$name: stopped after ${RUN_TIMEOUT}s (SCHEMATHESIS_TIMEOUT)"
  fi
  return "$rc"
}

failed=()
for backend in $BACKENDS; do
  if [ "$backend" = postgres ] && ! psql "$PG_ADMIN_URL" -qAtX -c 'SELECT 1' >/dev/null 2>&1; then
    [ -n "${CI:-}" ] && { say "PostgreSQL is required but not reachable at $PG_ADMIN_URL"; exit 1; }
    say "WARNING: PostgreSQL is not reachable; its run is skipped"
    continue
  fi
  printf '\n==> schemathesis on %s\n' "$backend"
  start_server "$backend"
  TOKEN=$(make_token)
  AUTH=(-H "Authorization: Bearer $TOKEN")
  run_st "$backend: authenticated" "${AUTH[@]}" \
    --exclude-path-regex '^/api/v1/public/' \
    --exclude-operation-id reset_password --exclude-operation-id update_user --exclude-operation-id revoke ||
    failed+=("$backend authenticated")
  run_st "$backend: public" --include-path-regex '^/api/v1/public/' || failed+=("$backend public")
  run_st "$backend: destructive (last)" "${AUTH[@]}" "${DESTRUCTIVE[@]}" || failed+=("$backend destructive")
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    say "the server died during the $backend runs:"
    tail -n 50 "$WORK/server-$backend.log" >&2
    failed+=("$backend server died")
  elif grep -q 'internal error' "$WORK/server-$backend.log"; then
    say "the server logged internal errors on $backend:"
    grep 'internal error' "$WORK/server-$backend.log" | tail -n 20 >&2
  fi
  stop_server
done

if [ "${#failed[@]}" -gt 0 ]; then
  say "FAILED: ${failed[*]}"
  exit 1
fi
say "no 5xx and no contract violation on: $BACKENDS"
