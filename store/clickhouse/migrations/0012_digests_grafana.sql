-- Scheduled digests as they were sent (earshot.SentDigest), for /digests,
-- and views for the Grafana dashboards (below).
-- The last save of an ID wins (version is a write counter); queries read
-- with FINAL. Zero times are 0 (1970-01-01). Small: replicated whole in
-- cluster mode.
CREATE TABLE IF NOT EXISTS {{local "digests"}}{{onCluster}}
(
    id String,
    name String,
    from_at {{time}},
    to_at {{time}},
    sent_at {{time}},
    format String,
    subject String,
    html String,
    markdown String,
    recipients Array(String),
    ok UInt8,
    error String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "digests" "version"}}
ORDER BY id;

-- Views for Grafana (dashboards/grafana): the tables with their times as
-- DateTime columns named for the panels, whatever the server's time type
-- (Int64 nanoseconds before DateTime64), and the latest version of each
-- row (FINAL), so one set of panel queries runs on every server version.
CREATE VIEW IF NOT EXISTS {{table "grafana_posts"}}{{onCluster}} AS
SELECT id, source, kind, author_id, author_handle, author_name, author_followers, text, lang,
    watches, score, label, reason, incident_id, {{dateTime "created_at"}} AS time
FROM {{table "posts"}} FINAL;

CREATE VIEW IF NOT EXISTS {{table "grafana_spikes"}}{{onCluster}} AS
SELECT id, scope_kind, scope_value, metric, observed, expected, score, incident_id, link_confidence,
    {{dateTime "start_at"}} AS time, {{dateTime "end_at"}} AS end_time, {{ns "end_at"}} = 0 AS open
FROM {{table "spikes"}} FINAL;

CREATE VIEW IF NOT EXISTS {{table "grafana_incidents"}}{{onCluster}} AS
SELECT id, source, title, status, severity, url,
    {{dateTime "started_at"}} AS time, {{dateTime "resolved_at"}} AS resolved_time, {{ns "resolved_at"}} = 0 AS open
FROM {{table "incidents"}} FINAL;

CREATE VIEW IF NOT EXISTS {{table "grafana_followups"}}{{onCluster}} AS
SELECT id, source, author_handle, author_followers, reason, priority, state, assignee, incident_id,
    {{dateTime "created_at"}} AS time, {{dateTime "due"}} AS due_time, {{ns "due"}} AS due_ns
FROM {{table "followups"}} FINAL;

CREATE VIEW IF NOT EXISTS {{table "grafana_alerts"}}{{onCluster}} AS
SELECT id, kind, watch, metric, severity, summary, incident_id, {{dateTime "raised_at"}} AS time
FROM {{table "alerts"}} FINAL;

CREATE VIEW IF NOT EXISTS {{table "grafana_deliveries"}}{{onCluster}} AS
SELECT id, receiver, group_key, attempt, ok, error, {{dateTime "attempted_at"}} AS time
FROM {{table "deliveries"}} FINAL;

CREATE VIEW IF NOT EXISTS {{table "grafana_digests"}}{{onCluster}} AS
SELECT id, name, format, subject, ok, error, length(recipients) AS recipients, {{dateTime "sent_at"}} AS time
FROM {{table "digests"}} FINAL;
