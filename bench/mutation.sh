#!/usr/bin/env bash
# Mutation testing with PIT over one package: a measured benchmark, not a CI gate (docs/testing.md).
# Usage: bench/mutation.sh PACKAGE [TEST_PATTERNS]
#   PACKAGE        a package under dev.rotor, with / or . (policy, api/auth, rotation, credential, secret)
#   TEST_PATTERNS  comma-separated test class globs; default: the tests in the same package
# e.g. bench/mutation.sh policy
#      bench/mutation.sh api/auth 'dev.rotor.api.*Auth*,dev.rotor.api.RemoteJwksTest'
# The report: target/pit-reports/<package>/index.html and mutations.xml; the score is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=${1:?usage: bench/mutation.sh PACKAGE [TEST_PATTERNS]}
pkg=dev.rotor.${pkg//\//.}
tests=${2:-$pkg.*}
mkdir -p target
log=target/mutation-$pkg.log
status=0
./mvnw -B -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage \
  -DtargetClasses="$pkg.*" -DtargetTests="$tests" -DreportsDirectory="target/pit-reports/$pkg" >"$log" 2>&1 \
  || status=$?
grep -E '^>> |^- (Timings|Statistics)|^> (scan|coverage|run mutation|build mutation)|BUILD|\[ERROR\]' "$log" | head -40
echo "log: $log; report: target/pit-reports/$pkg/index.html"
exit "$status"
