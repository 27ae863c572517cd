#!/usr/bin/env bash
# Installs and starts what the test suite needs on a Debian machine, and nothing that is already there.
#   - tshark, h2load (nghttp2-client), curl, openssl, Erlang/OTP with its diameter application;
#   - Chromium and the Noto fonts (Arabic, CJK) for the portal's browser tests;
#   - PostgreSQL server on 127.0.0.1:5432 that user postgres can reach without a password, with a
#     database "test" (override with OPENCEIR_TEST_DATABASE_URL, then this script only checks it);
#   - NATS server with JetStream on 127.0.0.1:4222 (Debian nats-server) for the ledger push tests.
# Run as root (or with sudo). Safe to run again: every step checks first.
set -euo pipefail

say() { printf 'test-deps: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
need_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Independent protocol peers: tshark decodes our HTTP/2 and Diameter, h2load and curl speak h2c,
# Erlang/OTP's diameter application is an S13 client, openssl checks signatures and makes test certificates.
need_packages tshark nghttp2-client curl openssl erlang-base erlang-diameter erlang-dev
# Python cryptography opens values sealed at rest (src/privacy/seal.test.ts), an independent AES-GCM and HKDF.
need_packages python3 python3-cryptography

# Real Chromium for the portal tests (playwright-core drives /usr/bin/chromium), with the Noto fonts
# that draw Arabic and Chinese in the screenshots and give axe-core real text to measure.
need_packages chromium fonts-noto-core fonts-noto-cjk
# pdftoppm (poppler-utils) turns the first page of a PDF report into PNG, to check it was drawn.
need_packages poppler-utils

# NATS with JetStream for the ledger push (test/e2e/check-node-nats.test.ts), on loopback only.
need_packages nats-server
nats_jetstream() {
  # A JetStream API request over a plain TCP session: the server answers +OK/INFO, then a MSG with the account info.
  timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4222 || exit 1
    printf "CONNECT {\"verbose\":false}\r\nSUB _INBOX.td 1\r\nPUB \$JS.API.INFO _INBOX.td 0\r\n\r\nPING\r\n" >&3
    for _ in $(seq 1 20); do IFS= read -r -t 2 line <&3 || exit 1; case "$line" in *\"memory\"*) exit 0 ;; *not\ enabled*|*503*) exit 1 ;; esac; done
    exit 1' 2>/dev/null
}
if ! nats_jetstream; then
  say "starting nats-server with JetStream on 127.0.0.1:4222"
  as_root mkdir -p /var/lib/nats-server
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  for _ in $(seq 1 30); do nats_jetstream && break; sleep 1; done
  nats_jetstream || { say "NATS with JetStream did not answer on 127.0.0.1:4222"; exit 1; }
fi
say "NATS with JetStream answers on 127.0.0.1:4222"

url="${OPENCEIR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

postgres_reachable() { psql "$url" -XAtqc 'select 1' >/dev/null 2>&1; }

if [ -n "${OPENCEIR_TEST_DATABASE_URL:-}" ]; then
  command -v psql >/dev/null || need_packages postgresql-client
  postgres_reachable || { say "cannot reach OPENCEIR_TEST_DATABASE_URL"; exit 1; }
  say "PostgreSQL at OPENCEIR_TEST_DATABASE_URL answers"
  exit 0
fi

need_packages postgresql

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { say "PostgreSQL did not start"; exit 1; }
fi

as_postgres() { as_root su postgres -c "$*"; }

if ! postgres_reachable; then
  # A fresh Debian cluster asks for a password over TCP; tests connect as postgres from loopback.
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q 'openceir-tests' "$hba"; then
    say "allowing user postgres from loopback without a password (for tests) in $hba"
    tmp="$(mktemp)"
    { printf 'host all postgres 127.0.0.1/32 trust # openceir-tests\nhost all postgres ::1/128 trust # openceir-tests\n'; as_root cat "$hba"; } >"$tmp"
    as_root cp "$tmp" "$hba"
    rm -f "$tmp"
    as_postgres "psql -XAtqc 'select pg_reload_conf()'" >/dev/null
  fi
  if ! as_postgres "psql -XAtqc \"select 1 from pg_database where datname = 'test'\"" | grep -q 1; then
    say "creating database test"
    as_postgres "createdb test"
  fi
fi

postgres_reachable || { say "PostgreSQL still not reachable at $url"; exit 1; }
say "PostgreSQL $(psql "$url" -XAtqc 'show server_version') answers at $url"
