#!/usr/bin/env bash
# Runs every native Go fuzz target of the tree briefly: FUZZTIME each
# (default 5s), FUZZJOBS targets at a time (default 2, one fuzz worker
# each). The targets are found, not listed, so a new Fuzz function runs
# here as soon as it exists. A failure prints the input Go wrote to the
# package's testdata/fuzz/<Target>/: commit it, and plain `go test`
# replays it as a regression test from then on.
#
#   .ci/fuzz.sh                     all targets, 5s each
#   FUZZTIME=1m .ci/fuzz.sh         longer
#   .ci/fuzz.sh ./collectors/push   only the targets under a directory
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZTIME=${FUZZTIME:-5s}
jobs=${FUZZJOBS:-2}
root=${1:-.}

# bare reports whether a failed run's output is only Go's fuzz coordinator
# racing its own -fuzztime deadline (golang/go#75804, fixed in Go 1.27):
# "context deadline exceeded" at the end, no input written, no panic and no
# failed check. A real finding always writes its input to testdata/fuzz/.
bare() {
	grep -q 'context deadline exceeded' <<<"$1" &&
		! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' <<<"$1"
}
export -f bare

# one runs one target: "DIR NAME". A bare deadline failure is run once
# more; a second one is reported as the Go race, not as a finding.
one() {
	local dir=${1#./} name=$2 t0=$SECONDS out try
	for try in 1 2; do
		if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel 1 "./$dir" 2>&1); then
			printf 'ok    %-32s %-20s %3ds\n' "$dir" "$name" $((SECONDS - t0))
			return 0
		fi
		bare "$out" || break
	done
	if bare "$out"; then
		printf 'ok    %-32s %-20s %3ds (twice stopped by the fuzz deadline race, golang/go#75804; nothing found)\n' "$dir" "$name" $((SECONDS - t0))
		return 0
	fi
	printf 'FAIL  %-32s %-20s\n%s\n' "$dir" "$name" "$(echo "$out" | tail -30)"
	return 1
}
export -f one

targets=$(grep -rHoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' "$root" |
	sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' | sort -u)
if [[ -z $targets ]]; then
	echo "no fuzz targets under $root"; exit 1
fi
echo "$(wc -l <<<"$targets") fuzz targets, $FUZZTIME each, $jobs at a time"
start=$SECONDS
status=0
xargs -P "$jobs" -L 1 bash -c 'one "$@"' _ <<<"$targets" || status=1
echo "fuzzing took $((SECONDS - start))s"
exit $status
