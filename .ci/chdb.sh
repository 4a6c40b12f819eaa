#!/usr/bin/env bash
# chdb.sh fetches libchdb (a current ClickHouse engine as a shared library,
# used in-process by github.com/chdb-io/chdb-go) and prints its path.
#
#   .ci/chdb.sh DIR     download into DIR (kept between runs), print the .so
#
# Then: CHDB_LIB_PATH=$(.ci/chdb.sh DIR) go test ./store/clickhouse/ -run Chdb
# The package comes from npm (needs npm); CHDB_NPM_PACKAGE overrides it.
set -euo pipefail

pkg=${CHDB_NPM_PACKAGE:-@chdb/lib-linux-x64-gnu@26.7.3-stable.1}

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
command -v npm >/dev/null 2>&1 || { echo "chdb.sh: npm not found" >&2; exit 1; }
mkdir -p "$1"
dir=$(cd "$1" && pwd)

lib=$(find "$dir" -name libchdb.so -type f 2>/dev/null | head -n 1)
if [[ -z $lib ]]; then
	(
		cd "$dir"
		npm pack --silent "$pkg" >/dev/null
		for t in *.tgz; do tar xzf "$t"; done
		rm -f ./*.tgz
	)
	lib=$(find "$dir" -name libchdb.so -type f | head -n 1)
fi
[[ -n $lib ]] || { echo "chdb.sh: no libchdb.so in $pkg" >&2; exit 1; }
echo "$lib"
