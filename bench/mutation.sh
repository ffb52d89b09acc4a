#!/usr/bin/env bash
# Mutation testing with PIT over one package: a measured benchmark, not a CI gate (docs/testing.md).
# Usage: bench/mutation.sh PACKAGE [TEST_PATTERNS [MAVEN_ARGS...]]
#   PACKAGE        a package under dev.rotor, with / or . (policy, api/auth, rotation, credential, secret)
#   TEST_PATTERNS  comma-separated test class globs; default: the tests in the same package
#   MAVEN_ARGS     passed on to Maven, e.g. -Dthreads=2 (PIT's default is one thread)
# Environment: PIT_HISTORY=1 makes a rerun incremental (PIT's history, kept per package in target/pit-history/,
#   never in the shared temporary folder where every worktree of this project would overwrite one file).
# e.g. bench/mutation.sh policy 'dev.rotor.policy.*'
#      bench/mutation.sh api/auth 'dev.rotor.api.auth.*,dev.rotor.api.RemoteJwksTest'
#      bench/mutation.sh secret 'dev.rotor.secret.*' -o -Dthreads=1 -DtimeoutConstant=5000
#   (-DtimeoutConstant=5000: a mutant that makes a retry or paging loop endless is stopped 5 s past 1.25 times the
#   test's normal time, PIT's timeoutFactor; -o: offline, once ~/.m2 holds the plugins)
# The report: target/pit-reports/<package>/index.html and mutations.xml; the score is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=${1:?usage: bench/mutation.sh PACKAGE [TEST_PATTERNS [MAVEN_ARGS...]]}
pkg=dev.rotor.${pkg//\//.}
tests=${2:-$pkg.*}
shift $(($# < 2 ? $# : 2))
history=()
if [[ ${PIT_HISTORY:-0} == 1 ]]; then
  mkdir -p target/pit-history
  history=(-DhistoryInputFile="target/pit-history/$pkg.bin" -DhistoryOutputFile="target/pit-history/$pkg.bin")
fi
mkdir -p target
log=target/mutation-$pkg.log
status=0
start=$(date +%s)
./mvnw -B -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage \
  -DtargetClasses="$pkg.*" -DtargetTests="$tests" -DreportsDirectory="target/pit-reports/$pkg" \
  "${history[@]}" "$@" >"$log" 2>&1 || status=$?
grep -E '^>> |^- (Timings|Statistics)|^> (scan|coverage|run mutation|build mutation)|BUILD|\[ERROR\]' "$log" | head -40
echo "wall time $(($(date +%s) - start)) s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "log: $log; report: target/pit-reports/$pkg/index.html"
exit "$status"
