#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies (uv.lock), with pip-audit.
# Works from the lock file (no resolution); when no advisory database can be reached it says so
# and exits 0 with the pinned list it would have checked, so an offline machine is not a failure.
set -uo pipefail
UV="${1:-uv}"
mkdir -p build
req=build/requirements.lock.txt
"$UV" export --frozen --format requirements-txt --no-hashes --no-emit-project > "$req"
echo "auditing $(grep -c '==' "$req") pinned packages from uv.lock"
out=$("$UV" run --frozen pip-audit --requirement "$req" --no-deps --disable-pip --progress-spinner off 2>&1)
code=$?
echo "$out" | grep -v "could not be audited"
total=$(grep -c '==' "$req")
skipped=$(grep -c "could not be audited" <<<"$out")
if { [ $code -ne 0 ] && grep -qiE "connection|resolve|timed out|network|max retries|ssl" <<<"$out"; } \
   || [ $((skipped * 10)) -ge $((total * 9)) ]; then
  echo "audit: OFFLINE - no advisory database was reachable; $skipped of $total packages could not be checked."
  echo "audit: the pinned versions are in $req; run 'make audit' where PyPI's JSON API or osv.dev answers."
  exit 0
fi
if [ "$skipped" -gt 0 ]; then
  echo "audit: $skipped of $total packages could not be checked (not found by the advisory service)."
fi
exit $code
