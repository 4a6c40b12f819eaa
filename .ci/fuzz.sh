#!/usr/bin/env bash
# Runs every native Go fuzz target of the tree briefly: FUZZTIME each
# (default 5s). The targets are found, not listed, so a new Fuzz function
# runs here as soon as it exists. A failure prints the input Go wrote to
# the package's testdata/fuzz/<Target>/: commit it, and plain `go test`
# replays it as a regression test from then on.
#
#   .ci/fuzz.sh                 all targets, 5s each
#   FUZZTIME=1m .ci/fuzz.sh     longer
#   .ci/fuzz.sh ./collectors/push   only the targets under a directory
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
root=${1:-.}

mapfile -t targets < <(grep -rHoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' "$root" |
	sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' | sort -u)
if ((${#targets[@]} == 0)); then
	echo "no fuzz targets under $root"; exit 1
fi
echo "${#targets[@]} fuzz targets, $fuzztime each"
failed=0
start=$SECONDS
for t in "${targets[@]}"; do
	read -r dir name <<<"$t"
	t0=$SECONDS
	if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./${dir#./}" 2>&1); then
		printf 'ok    %-40s %-24s %3ds\n' "${dir#./}" "$name" $((SECONDS - t0))
	else
		printf 'FAIL  %-40s %-24s\n' "${dir#./}" "$name"
		echo "$out" | tail -30
		failed=1
	fi
done
echo "fuzzing took $((SECONDS - start))s"
exit $failed
