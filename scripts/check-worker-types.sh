#!/usr/bin/env bash
# Fails when a worker's worker-configuration.d.ts is older than its wrangler.toml (rerun with --write to regenerate).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="--check"
[ "${1:-}" = "--write" ] && mode=""
for dir in workers/api workers/playback workers/ingest-events workers/ads workers/front-door; do
  (cd "$dir" && wrangler types worker-configuration.d.ts --include-runtime false --strict-vars false \
    --env-interface WranglerEnv $mode >/dev/null) || {
    echo "$dir/worker-configuration.d.ts is stale: run 'npm run types:write'" >&2
    exit 1
  }
done
