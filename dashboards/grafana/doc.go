// Package grafana holds Earshot's Grafana dashboards over the ClickHouse
// store (dashboards/*.json, for the official ClickHouse data source,
// grafana-clickhouse-datasource) and their provisioning files, which
// docker-compose.yml's grafana profile mounts.
//
// The panels read views the store's migrations create (grafana_posts,
// grafana_spikes, ...): the tables' latest rows with their times as
// DateTime, so one set of queries runs on every ClickHouse version the
// store supports, 18.16 included. Queries lists every panel's SQL and
// Expand turns the plugin's macros into concrete SQL, for the tests that
// run each panel on ClickHouse.
package grafana
