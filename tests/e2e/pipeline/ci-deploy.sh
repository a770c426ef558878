#!/usr/bin/env bash
# A CI deploy job with Rewind as its quality gate, as a pipeline would run it: deploy a version
# to the idle colour, switch traffic to it, record the deployment, then block on
# `rewindctl deploy gate` until Rewind says the release is verified (exit 0) or it failed and
# was rolled back (exit 4), or the gate times out (exit 5). The job's exit code is the gate's.
#
# usage: ci-deploy.sh SERVICE COLOUR VERSION
# environment: FLEET_CONTROL  the sandbox fleet's control API (stands in for the deploy tool)
#              REWIND_SERVER, REWIND_TOKEN  where rewindd is, and the pipeline's API token
#              REWINDCTL      the rewindctl binary (default: rewindctl on PATH)
#              GATE_TIMEOUT   seconds to wait for a verdict (default 120)
set -euo pipefail

service=$1
colour=$2
version=$3
ctl=${REWINDCTL:-rewindctl}

echo "ci: deploying $service $version to $colour"
curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"instance\": \"$colour\", \"version\": \"$version\"}" \
    "$FLEET_CONTROL/services/$service/deploy" >/dev/null
curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"colour\": \"$colour\"}" \
    "$FLEET_CONTROL/services/$service/route" >/dev/null

"$ctl" deploy record --service "$service" --version "$version" --target "$colour" \
    --pipeline "ci-$version"
echo "ci: waiting for Rewind's verdict on $service $version"
"$ctl" deploy gate --service "$service" --version "$version" \
    --timeout "${GATE_TIMEOUT:-120}" --interval 0.5
