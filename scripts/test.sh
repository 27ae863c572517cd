#!/usr/bin/env bash
# Every test, from a clean checkout: install the npm packages, install and start what the tests
# need (scripts/test-deps.sh), then lint, type-check and run the test suite (npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
# Plain output (no colour codes), so that logs and CI summaries read as text.
export NO_COLOR=1 FORCE_COLOR=0
npm ci --no-audit --no-fund
bash scripts/test-deps.sh
npm test
