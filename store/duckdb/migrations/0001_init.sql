-- Earshot's first schema. Times are TIMESTAMP (microseconds) holding UTC;
-- a NULL time is Go's zero time. Lists are VARCHAR[]; nested records
-- (sentiment parts, incident updates, follow-up notes) are JSON text.

CREATE TABLE posts (
    id               VARCHAR PRIMARY KEY, -- "source:native_id", the dedupe key
    source           VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    url              VARCHAR NOT NULL,
    author_id        VARCHAR NOT NULL,
    author_handle    VARCHAR NOT NULL,
    author_name      VARCHAR NOT NULL,
    author_followers BIGINT NOT NULL,
    text             VARCHAR NOT NULL,
    lang             VARCHAR NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    collected_at     TIMESTAMP NOT NULL, -- orders versions: the latest wins
    watches          VARCHAR[] NOT NULL,
    score            DOUBLE NOT NULL,
    label            VARCHAR NOT NULL,  -- '' when not scored
    parts            VARCHAR NOT NULL,  -- JSON object: model name → score
    incident_id      VARCHAR NOT NULL
);

CREATE TABLE incidents (
    id          VARCHAR PRIMARY KEY,
    source      VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    services    VARCHAR[] NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,             -- NULL while open
    url         VARCHAR NOT NULL,
    updated_at  TIMESTAMP,
    updates     VARCHAR NOT NULL       -- JSON array of {at, status, body}
);

CREATE TABLE follow_ups (
    id               VARCHAR PRIMARY KEY,
    source           VARCHAR NOT NULL,
    author_id        VARCHAR NOT NULL,
    author_handle    VARCHAR NOT NULL,
    author_name      VARCHAR NOT NULL,
    author_followers BIGINT NOT NULL,
    post_ids         VARCHAR[] NOT NULL,
    reason           VARCHAR NOT NULL,
    priority         INTEGER NOT NULL,
    state            VARCHAR NOT NULL,
    assignee         VARCHAR NOT NULL,
    incident_id      VARCHAR NOT NULL,
    notes            VARCHAR NOT NULL,  -- JSON array of {at, author, text}
    due              TIMESTAMP,
    created_at       TIMESTAMP,
    updated_at       TIMESTAMP
);

CREATE TABLE cursors (
    collector  VARCHAR PRIMARY KEY,
    cursor     VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
