#!/usr/bin/env bash
# cluster.sh starts and stops a throwaway two-shard ClickHouse cluster on
# loopback, for the conformance suite through Distributed tables:
#
#   .ci/cluster.sh start DIR   start ZooKeeper and two ClickHouse servers,
#                              each a shard of the cluster "earshot"
#   .ci/cluster.sh stop DIR    stop them
#
# ZooKeeper (Debian's zookeeper package) keeps the replicated tables' and
# the distributed DDL's state. Each server is started by clickhouse.sh with
# a config.d file naming the cluster, ZooKeeper and its own shard and
# replica. Ports: CLUSTER_PORT_BASE (default 9301: native 9301 and 9302,
# HTTP 8401-8402, interserver 9401-9402) and CLUSTER_ZK_PORT (2281).
# Tests then use EARSHOT_TEST_CLICKHOUSE_CLUSTER=127.0.0.1:9301/earshot.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base=${CLUSTER_PORT_BASE:-9301}
zk_port=${CLUSTER_ZK_PORT:-2281}

die() {
	echo "cluster.sh: $*" >&2
	exit 1
}

find_zk() {
	for z in /usr/share/zookeeper/bin/zkServer.sh "$(command -v zkServer.sh 2>/dev/null || true)"; do
		[[ -n $z && -x $z ]] && { echo "$z"; return; }
	done
	die "ZooKeeper not found (apt-get install -y zookeeper)"
}

start_zk() {
	local dir=$1 zk
	zk=$(find_zk)
	mkdir -p "$dir/zk/data" "$dir/zk/log"
	cat >"$dir/zk/zoo.cfg" <<CFG
tickTime=2000
dataDir=$dir/zk/data
clientPort=$zk_port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,stat
CFG
	ZOO_LOG_DIR="$dir/zk/log" ZOOPIDFILE="$dir/zk/zk.pid" "$zk" start "$dir/zk/zoo.cfg" >"$dir/zk/log/start.log" 2>&1 ||
		{ cat "$dir/zk/log/start.log" >&2; die "ZooKeeper did not start"; }
	local deadline=$((SECONDS + 60))
	until [[ $( (exec 3<>/dev/tcp/127.0.0.1/$zk_port && printf ruok >&3 && timeout 2 cat <&3) 2>/dev/null) == imok ]]; do
		((SECONDS < deadline)) || { tail -n 30 "$dir"/zk/log/* >&2 || true; die "ZooKeeper does not answer on $zk_port"; }
		sleep 0.5
	done
}

node_config() {
	local shard=$1 replica=$2
	cat <<XML
<?xml version="1.0"?>
<yandex>
    <remote_servers>
        <earshot>
            <shard>
                <internal_replication>true</internal_replication>
                <replica><host>127.0.0.1</host><port>$base</port></replica>
            </shard>
            <shard>
                <internal_replication>true</internal_replication>
                <replica><host>127.0.0.1</host><port>$((base + 1))</port></replica>
            </shard>
        </earshot>
    </remote_servers>
    <zookeeper>
        <node><host>127.0.0.1</host><port>$zk_port</port></node>
    </zookeeper>
    <macros>
        <shard>$shard</shard>
        <replica>$replica</replica>
    </macros>
    <distributed_ddl>
        <path>/clickhouse/task_queue/ddl</path>
    </distributed_ddl>
</yandex>
XML
}

start() {
	local dir=$1
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	start_zk "$dir"
	for i in 0 1; do
		local node="$dir/ch$i"
		mkdir -p "$node/config.d"
		node_config "0$((i + 1))" "r$((i + 1))" >"$node/config.d/cluster.xml"
		CLICKHOUSE_PORT=$((base + i)) CLICKHOUSE_HTTP_PORT=$((8401 + i)) CLICKHOUSE_INTERSERVER_PORT=$((9401 + i)) \
			"$here/clickhouse.sh" start "$node"
	done
	echo "cluster earshot: shards on 127.0.0.1:$base and 127.0.0.1:$((base + 1)), ZooKeeper on 127.0.0.1:$zk_port"
}

stop() {
	local dir=$1
	for i in 0 1; do
		[[ -d $dir/ch$i ]] && "$here/clickhouse.sh" stop "$dir/ch$i" || true
	done
	if [[ -f $dir/zk/zk.pid ]]; then
		kill "$(cat "$dir/zk/zk.pid")" 2>/dev/null || true
	fi
}

case ${1:-} in
start) [[ $# -eq 2 ]] || die "usage: $0 start DIR"; start "$2" ;;
stop) [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
