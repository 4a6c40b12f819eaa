-- Alerts and every attempt to deliver them, each replaced whole by ID.

-- labels is a JSON object; why the alert's earshot.Why as JSON (its posts'
-- times in UTC). ends_at is NULL while the spike goes on.
CREATE TABLE alerts (
    id          VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    spike_id    VARCHAR NOT NULL,
    watch       VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    labels      VARCHAR NOT NULL,
    incident_id VARCHAR NOT NULL,
    confidence  DOUBLE NOT NULL,
    summary     VARCHAR NOT NULL,
    why         VARCHAR NOT NULL,
    starts_at   TIMESTAMP,
    ends_at     TIMESTAMP,
    raised_at   TIMESTAMP
);

CREATE TABLE deliveries (
    id           VARCHAR PRIMARY KEY,
    receiver     VARCHAR NOT NULL,
    group_key    VARCHAR NOT NULL,
    alert_ids    VARCHAR[] NOT NULL,
    attempt      BIGINT NOT NULL,
    attempted_at TIMESTAMP,
    ok           BOOLEAN NOT NULL,
    error        VARCHAR NOT NULL
);
-- No index on the times: INSERT OR REPLACE cannot update an indexed
-- column, and these tables stay small.
