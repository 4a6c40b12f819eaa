#!/usr/bin/env bash
# clickhouse.sh starts and stops a throwaway ClickHouse server for tests.
#
#   .ci/clickhouse.sh start DIR   write a config into DIR, start the server,
#                                 wait until it answers, print its version
#   .ci/clickhouse.sh stop DIR    stop the server started in DIR
#
# The server listens on 127.0.0.1 only, keeps all its data and logs in DIR and
# lets the "default" user in without a password. It needs nothing but the
# Debian packages clickhouse-server and clickhouse-client (any version from
# 18.16 on). Ports: CLICKHOUSE_PORT (native, default 9000), CLICKHOUSE_HTTP_PORT
# (default 8123), CLICKHOUSE_INTERSERVER_PORT (default 9009). Tests then use
# EARSHOT_TEST_CLICKHOUSE=127.0.0.1:$CLICKHOUSE_PORT.
set -euo pipefail

port=${CLICKHOUSE_PORT:-9000}
http_port=${CLICKHOUSE_HTTP_PORT:-8123}
interserver_port=${CLICKHOUSE_INTERSERVER_PORT:-9009}
wait_seconds=${CLICKHOUSE_WAIT:-60}

die() {
	echo "clickhouse.sh: $*" >&2
	exit 1
}

find_server() {
	local b
	for b in clickhouse-server /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
		if command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return
		fi
	done
	# Newer packages ship one "clickhouse" binary with subcommands.
	if command -v clickhouse >/dev/null 2>&1; then
		echo "$(command -v clickhouse) server"
		return
	fi
	die "clickhouse-server not found (apt-get install -y clickhouse-server clickhouse-client)"
}

find_client() {
	if command -v clickhouse-client >/dev/null 2>&1; then
		command -v clickhouse-client
	elif command -v clickhouse >/dev/null 2>&1; then
		echo "$(command -v clickhouse) client"
	else
		die "clickhouse-client not found"
	fi
}

write_config() {
	local dir=$1
	mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
	cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>information</level>
        <log>$dir/log/clickhouse-server.log</log>
        <errorlog>$dir/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$port</tcp_port>
    <http_port>$http_port</http_port>
    <interserver_http_port>$interserver_port</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <umask>022</umask>
    <max_concurrent_queries>100</max_concurrent_queries>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mlock_executable>false</mlock_executable>
</yandex>
EOF
	cat >"$dir/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
            <access_management>1</access_management>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

start() {
	local dir=$1
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [[ -f $dir/server.pid ]] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
		die "a server already runs from $dir (pid $(cat "$dir/server.pid"))"
	fi
	local server client
	server=$(find_server)
	client=$(find_client)
	write_config "$dir"
	# The server runs as whoever starts it, root included: it only refuses to
	# when its data directory belongs to someone else, and DIR is ours.
	# shellcheck disable=SC2086 # $server may be "clickhouse server"
	nohup $server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 </dev/null &
	echo $! >"$dir/server.pid"
	local deadline=$((SECONDS + wait_seconds))
	until $client --host 127.0.0.1 --port "$port" -q 'SELECT 1' >/dev/null 2>&1; do
		if ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
			tail -n 30 "$dir/log/stdout.log" "$dir/log/clickhouse-server.err.log" >&2 2>/dev/null || true
			die "server exited during start-up (logs in $dir/log)"
		fi
		if ((SECONDS >= deadline)); then
			tail -n 30 "$dir/log/clickhouse-server.err.log" >&2 2>/dev/null || true
			die "server did not answer on 127.0.0.1:$port within ${wait_seconds}s (logs in $dir/log)"
		fi
		sleep 0.5
	done
	echo "clickhouse $($client --host 127.0.0.1 --port "$port" -q 'SELECT version()') on 127.0.0.1:$port (pid $(cat "$dir/server.pid"))"
}

stop() {
	local dir=$1
	[[ -f $dir/server.pid ]] || die "no server.pid in $dir"
	local pid
	pid=$(cat "$dir/server.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		local i
		for ((i = 0; i < 60; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -9 "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$dir/server.pid"
}

case ${1:-} in
start) [[ $# -eq 2 ]] || die "usage: $0 start DIR"; start "$2" ;;
stop) [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
