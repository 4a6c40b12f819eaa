-- migration 0000_schema_migrations #1
CREATE TABLE IF NOT EXISTS `earshot`.`schema_migrations`
(
    version UInt32,
    name String,
    applied_at DateTime
)
ENGINE = MergeTree()
ORDER BY version;

-- migration 0001_posts #1
CREATE TABLE IF NOT EXISTS `earshot`.`posts`
(
    id String,
    source String,
    kind String,
    url String,
    author_id String,
    author_handle String,
    author_name String,
    author_followers Int64,
    text String,
    lang String,
    created_at Int64,
    collected_at Int64,
    watches Array(String),
    score Float64,
    label String,
    part_models Array(String),
    part_scores Array(Float64),
    incident_id String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(toDateTime(intDiv(created_at, 1000000000), 'UTC'))
ORDER BY (source, id);

-- migration 0002_incidents #1
CREATE TABLE IF NOT EXISTS `earshot`.`incidents`
(
    id String,
    source String,
    title String,
    status String,
    severity String,
    services Array(String),
    started_at Int64,
    resolved_at Int64,
    url String,
    updated_at Int64,
    updates String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0003_followups #1
CREATE TABLE IF NOT EXISTS `earshot`.`followups`
(
    id String,
    source String,
    author_id String,
    author_handle String,
    author_name String,
    author_followers Int64,
    post_ids Array(String),
    reason String,
    priority Int64,
    state String,
    assignee String,
    incident_id String,
    notes String,
    due Int64,
    created_at Int64,
    updated_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0004_cursors #1
CREATE TABLE IF NOT EXISTS `earshot`.`cursors`
(
    collector String,
    cursor String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY collector;

-- migration 0005_replies_reasons_spikes #1
ALTER TABLE `earshot`.`posts` ADD COLUMN parent_id String;

-- migration 0005_replies_reasons_spikes #2
ALTER TABLE `earshot`.`posts` ADD COLUMN reason String;

-- migration 0005_replies_reasons_spikes #3
CREATE TABLE IF NOT EXISTS `earshot`.`spikes`
(
    id String,
    scope_kind String,
    scope_value String,
    metric String,
    start_at Int64,
    peak_at Int64,
    end_at Int64,
    bucket Int64,
    observed Float64,
    expected Float64,
    score Float64,
    incident_id String,
    link_confidence Float64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0006_hashes_health #1
ALTER TABLE `earshot`.`posts` ADD COLUMN content_hash UInt64;

-- migration 0006_hashes_health #2
CREATE TABLE IF NOT EXISTS `earshot`.`health`
(
    collector String,
    kind String,
    last_run Int64,
    last_success Int64,
    last_error String,
    last_error_at Int64,
    failures Int64,
    backoff Int64,
    posts_last_hour Int64,
    updated_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY collector;

-- migration 0006_hashes_health #3
CREATE TABLE IF NOT EXISTS `earshot`.`gaps`
(
    id String,
    collector String,
    from_at Int64,
    to_at Int64,
    reason String,
    filled_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0007_alerts #1
CREATE TABLE IF NOT EXISTS `earshot`.`alerts`
(
    id String,
    kind String,
    spike_id String,
    watch String,
    metric String,
    severity String,
    labels String,
    incident_id String,
    confidence Float64,
    summary String,
    why String,
    starts_at Int64,
    ends_at Int64,
    raised_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0007_alerts #2
CREATE TABLE IF NOT EXISTS `earshot`.`deliveries`
(
    id String,
    receiver String,
    group_key String,
    alert_ids Array(String),
    attempt Int64,
    attempted_at Int64,
    ok UInt8,
    error String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0008_ratings_brand #1
ALTER TABLE `earshot`.`posts` ADD COLUMN rating UInt8;

-- migration 0008_ratings_brand #2
ALTER TABLE `earshot`.`posts` ADD COLUMN from_brand UInt8;

-- migration 0009_app_version #1
ALTER TABLE `earshot`.`posts` ADD COLUMN app_version String;

-- migration 0010_episodes_silences #1
CREATE TABLE IF NOT EXISTS `earshot`.`episodes`
(
    id String,
    watch String,
    opened_at Int64,
    updated_at Int64,
    body String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0010_episodes_silences #2
CREATE TABLE IF NOT EXISTS `earshot`.`episode_threads`
(
    episode_id String,
    receiver String,
    ref String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (episode_id, receiver);

-- migration 0010_episodes_silences #3
CREATE TABLE IF NOT EXISTS `earshot`.`silences`
(
    id String,
    starts_at Int64,
    ends_at Int64,
    body String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0010_episodes_silences #4
ALTER TABLE `earshot`.`incidents` ADD COLUMN watches Array(String);

-- migration 0012_digests_grafana #1
CREATE TABLE IF NOT EXISTS `earshot`.`digests`
(
    id String,
    name String,
    from_at Int64,
    to_at Int64,
    sent_at Int64,
    format String,
    subject String,
    html String,
    markdown String,
    recipients Array(String),
    ok UInt8,
    error String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0012_digests_grafana #2
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_posts` AS
SELECT id, source, kind, author_id, author_handle, author_name, author_followers, text, lang,
    watches, score, label, reason, incident_id, toDateTime(intDiv(created_at, 1000000000), 'UTC') AS time
FROM `earshot`.`posts` FINAL;

-- migration 0012_digests_grafana #3
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_spikes` AS
SELECT id, scope_kind, scope_value, metric, observed, expected, score, incident_id, link_confidence,
    toDateTime(intDiv(start_at, 1000000000), 'UTC') AS time, toDateTime(intDiv(end_at, 1000000000), 'UTC') AS end_time, end_at = 0 AS open
FROM `earshot`.`spikes` FINAL;

-- migration 0012_digests_grafana #4
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_incidents` AS
SELECT id, source, title, status, severity, url,
    toDateTime(intDiv(started_at, 1000000000), 'UTC') AS time, toDateTime(intDiv(resolved_at, 1000000000), 'UTC') AS resolved_time, resolved_at = 0 AS open
FROM `earshot`.`incidents` FINAL;

-- migration 0012_digests_grafana #5
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_followups` AS
SELECT id, source, author_handle, author_followers, reason, priority, state, assignee, incident_id,
    toDateTime(intDiv(created_at, 1000000000), 'UTC') AS time, toDateTime(intDiv(due, 1000000000), 'UTC') AS due_time, due AS due_ns
FROM `earshot`.`followups` FINAL;

-- migration 0012_digests_grafana #6
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_alerts` AS
SELECT id, kind, watch, metric, severity, summary, incident_id, toDateTime(intDiv(raised_at, 1000000000), 'UTC') AS time
FROM `earshot`.`alerts` FINAL;

-- migration 0012_digests_grafana #7
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_deliveries` AS
SELECT id, receiver, group_key, attempt, ok, error, toDateTime(intDiv(attempted_at, 1000000000), 'UTC') AS time
FROM `earshot`.`deliveries` FINAL;

-- migration 0012_digests_grafana #8
CREATE VIEW IF NOT EXISTS `earshot`.`grafana_digests` AS
SELECT id, name, format, subject, ok, error, length(recipients) AS recipients, toDateTime(intDiv(sent_at, 1000000000), 'UTC') AS time
FROM `earshot`.`digests` FINAL;

-- migration 0013_users #1
CREATE TABLE IF NOT EXISTS `earshot`.`accounts`
(
    name String,
    role String,
    password_hash String,
    created_at Int64,
    password_changed_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY name;

-- migration 0013_users #2
CREATE TABLE IF NOT EXISTS `earshot`.`api_tokens`
(
    hash String,
    user_name String,
    name String,
    scopes String,
    created_at Int64,
    revoked_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY hash;

-- migration 0013_users #3
CREATE TABLE IF NOT EXISTS `earshot`.`sessions`
(
    hash String,
    user_name String,
    created_at Int64,
    expires_at Int64,
    revoked_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY hash;

-- migration 0014_incident_closure #1
ALTER TABLE `earshot`.`incidents` ADD COLUMN closure String;

-- migration 0015_customers_erasures #1
CREATE TABLE IF NOT EXISTS `earshot`.`social_accounts`
(
    source String,
    handle_key String,
    handle String,
    kind String,
    customer_id String,
    name String,
    tier String,
    owner String,
    updated_at Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (source, handle_key);

-- migration 0015_customers_erasures #2
ALTER TABLE `earshot`.`followups` ADD COLUMN customer_id String;

-- migration 0015_customers_erasures #3
ALTER TABLE `earshot`.`followups` ADD COLUMN customer_name String;

-- migration 0015_customers_erasures #4
ALTER TABLE `earshot`.`followups` ADD COLUMN customer_tier String;

-- migration 0015_customers_erasures #5
CREATE TABLE IF NOT EXISTS `earshot`.`erasures`
(
    id String,
    source String,
    author_id String,
    actor String,
    erased_at Int64,
    posts Int64,
    follow_ups Int64,
    alerts Int64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0016_publications #1
CREATE TABLE IF NOT EXISTS `earshot`.`publications`
(
    id String,
    incident_id String,
    created_at Int64,
    body String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- migration 0017_posts_by_time #1
DROP TABLE IF EXISTS `earshot`.`posts_by_time`;

-- migration 0017_posts_by_time #2
DROP TABLE IF EXISTS `earshot`.`posts_by_source`;

-- migration 0017_posts_by_time #3
CREATE TABLE `earshot`.`posts_by_time` AS `earshot`.`posts`
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(toDateTime(intDiv(created_at, 1000000000), 'UTC'))
ORDER BY (created_at, source, id);

-- migration 0017_posts_by_time #4
INSERT INTO `earshot`.`posts_by_time` SELECT * FROM `earshot`.`posts` FINAL;

-- migration 0017_posts_by_time #5
RENAME TABLE `earshot`.`posts` TO `earshot`.`posts_by_source`, `earshot`.`posts_by_time` TO `earshot`.`posts`;

-- migration 0017_posts_by_time #6
DROP TABLE `earshot`.`posts_by_source`;

-- migration 0017_posts_by_time #7
DROP TABLE IF EXISTS `earshot`.`post_rollup_mv`;

-- migration 0017_posts_by_time #8
DROP TABLE IF EXISTS `earshot`.`post_rollup_in`;

-- migration 0017_posts_by_time #9
DROP TABLE IF EXISTS `earshot`.`post_rollup`;

-- migration 0017_posts_by_time #10
CREATE TABLE `earshot`.`post_rollup`
(
    bucket Int64,
    watch String,
    source String,
    posts Int64,
    scored Int64,
    negative Int64,
    positive Int64,
    score_nano Int64
)
ENGINE = SummingMergeTree((posts, scored, negative, positive, score_nano))
PARTITION BY toYYYYMM(toDateTime(intDiv(bucket, 1000000000), 'UTC'))
ORDER BY (watch, bucket, source);

-- migration 0017_posts_by_time #11
CREATE TABLE `earshot`.`post_rollup_in`
(
    created_at Int64,
    source String,
    watches Array(String),
    label String,
    score Float64,
    sign Int8
)
ENGINE = Null;

-- migration 0017_posts_by_time #12
CREATE MATERIALIZED VIEW `earshot`.`post_rollup_mv` TO `earshot`.`post_rollup` AS
SELECT intDiv(created_at, 60000000000) * 60000000000 AS bucket, watch, source,
    sum(toInt64(sign)) AS posts,
    sum(toInt64(sign * (label != ''))) AS scored,
    sum(toInt64(sign * (label = 'negative'))) AS negative,
    sum(toInt64(sign * (label = 'positive'))) AS positive,
    sum(toInt64(sign * (label != '') * round(score * 1000000000))) AS score_nano
FROM `earshot`.`post_rollup_in`
ARRAY JOIN arrayPushFront(arrayFilter(w -> w != '', watches), '') AS watch
GROUP BY bucket, watch, source;

-- migration 0017_posts_by_time #13
INSERT INTO `earshot`.`post_rollup_in` (created_at, source, watches, label, score, sign)
SELECT created_at, source, watches, label, score, 1
FROM `earshot`.`posts` FINAL;

-- migration 0019_post_ranks #1
DROP TABLE IF EXISTS `earshot`.`post_ranks_mv`;

-- migration 0019_post_ranks #2
DROP TABLE IF EXISTS `earshot`.`post_ranks`;

-- migration 0019_post_ranks #3
CREATE TABLE `earshot`.`post_ranks`
(
    score Float64,
    created_at Int64,
    id String,
    source String,
    author_id String,
    label String,
    watches Array(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(toDateTime(intDiv(created_at, 1000000000), 'UTC'))
ORDER BY (score, created_at);

-- migration 0019_post_ranks #4
CREATE MATERIALIZED VIEW `earshot`.`post_ranks_mv` TO `earshot`.`post_ranks` AS
SELECT score, created_at, id, source, author_id, label, watches
FROM `earshot`.`posts`
WHERE label != '';

-- migration 0019_post_ranks #5
INSERT INTO `earshot`.`post_ranks` (score, created_at, id, source, author_id, label, watches)
SELECT score, created_at, id, source, author_id, label, watches
FROM `earshot`.`posts`
WHERE label != '';

-- query account
SELECT name, role, password_hash, created_at, password_changed_at
FROM `earshot`.`accounts` FINAL
WHERE name = ?
LIMIT 1;

-- query accounts
SELECT name, role, password_hash, created_at, password_changed_at
FROM `earshot`.`accounts` FINAL
ORDER BY name ASC;

-- query active_incidents
SELECT id, source, title, status, severity, services, started_at,
    resolved_at, url, updated_at, updates, watches, closure
FROM `earshot`.`incidents` FINAL
WHERE started_at <= ? AND (resolved_at = 0 OR resolved_at > ?)
ORDER BY started_at ASC, id ASC;

-- query alerts
SELECT id, kind, spike_id, watch, metric, severity, labels, incident_id, confidence,
    summary, why, starts_at, ends_at, raised_at
FROM `earshot`.`alerts` FINAL
WHERE raised_at >= ? AND raised_at < ?
ORDER BY raised_at ASC, id ASC;

-- query all_alerts
SELECT id, kind, spike_id, watch, metric, severity, labels, incident_id, confidence,
    summary, why, starts_at, ends_at, raised_at
FROM `earshot`.`alerts` FINAL
ORDER BY raised_at ASC, id ASC;

-- query applied_migrations
SELECT version FROM `earshot`.`schema_migrations` ORDER BY version;

-- query author_states
SELECT created_at, source, watches, label, score
FROM `earshot`.`posts` FINAL
WHERE source = ? AND author_id = ?;

-- query authors
SELECT source, author_id, argMax(author_handle, created_at), argMax(author_name, created_at),
    argMax(author_followers, created_at), count() AS posts, countIf(label = 'negative'),
    countIf(label != ''), sumIf(score, label != ''), max(author_followers),
    min(created_at), max(created_at)
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?)
GROUP BY source, author_id
ORDER BY posts DESC, source ASC, author_id ASC
LIMIT ?;

-- query count_author_followups
SELECT count() FROM `earshot`.`followups` FINAL WHERE source = ? AND author_id = ?;

-- query count_author_posts
SELECT count() FROM `earshot`.`posts` FINAL WHERE source = ? AND author_id = ?;

-- query count_posts
SELECT count() FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?);

-- query create_database
CREATE DATABASE IF NOT EXISTS `earshot`;

-- query cursor
SELECT cursor FROM `earshot`.`cursors` FINAL WHERE collector = ? LIMIT 1;

-- query deliveries
SELECT id, receiver, group_key, alert_ids, attempt, attempted_at, ok, error
FROM `earshot`.`deliveries` FINAL
WHERE attempted_at >= ? AND attempted_at < ?
ORDER BY attempted_at ASC, id ASC;

-- query digest
SELECT id, name, from_at, to_at, sent_at, format, subject, html, markdown,
    recipients, ok, error
FROM `earshot`.`digests` FINAL
WHERE id = ?
LIMIT 1;

-- query digests
SELECT id, name, from_at, to_at, sent_at, format, subject, html, markdown,
    recipients, ok, error
FROM `earshot`.`digests` FINAL
ORDER BY sent_at DESC, id ASC
LIMIT ?;

-- query drop_partition
ALTER TABLE `earshot`.`posts` DROP PARTITION ?;

-- query drop_ranks_partition
ALTER TABLE `earshot`.`post_ranks` DROP PARTITION ?;

-- query drop_rollup_partition
ALTER TABLE `earshot`.`post_rollup` DROP PARTITION ?;

-- query edge_series
SELECT intDiv(created_at, toInt64(?)) * toInt64(?) AS bucket, '' AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM `earshot`.`posts` FINAL
PREWHERE (created_at >= ? AND created_at < ?) OR (created_at >= ? AND created_at < ?)
WHERE (? = '' OR has(watches, ?)) AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key;

-- query edge_series_by_source
SELECT intDiv(created_at, toInt64(?)) * toInt64(?) AS bucket, source AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM `earshot`.`posts` FINAL
PREWHERE (created_at >= ? AND created_at < ?) OR (created_at >= ? AND created_at < ?)
WHERE (? = '' OR has(watches, ?)) AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key;

-- query edge_series_by_watch
SELECT intDiv(created_at, toInt64(?)) * toInt64(?) AS bucket, watch AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM `earshot`.`posts` FINAL
ARRAY JOIN watches AS watch
PREWHERE (created_at >= ? AND created_at < ?) OR (created_at >= ? AND created_at < ?)
WHERE (? = '' OR has(watches, ?)) AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key;

-- query episodes
SELECT body
FROM `earshot`.`episodes` FINAL
WHERE opened_at < ? AND updated_at >= ?
ORDER BY opened_at ASC, id ASC;

-- query erase_author
ALTER TABLE `earshot`.`posts` DELETE WHERE source = ? AND author_id = ?;

-- query erase_author_followups
ALTER TABLE `earshot`.`followups` DELETE WHERE source = ? AND author_id = ?;

-- query erase_old_alert
ALTER TABLE `earshot`.`alerts` DELETE WHERE id = ? AND version < ?;

-- query erase_ranks
ALTER TABLE `earshot`.`post_ranks` DELETE WHERE source = ? AND author_id = ?;

-- query erasures
SELECT id, source, author_id, actor, erased_at, posts, follow_ups, alerts
FROM `earshot`.`erasures` FINAL
ORDER BY erased_at ASC, id ASC;

-- query followup
SELECT id, source, author_id, author_handle, author_name, author_followers,
    post_ids, reason, priority, state, assignee, incident_id, notes, due,
    created_at, updated_at, customer_id, customer_name, customer_tier
FROM `earshot`.`followups` FINAL
WHERE id = ?
LIMIT 1;

-- query followups
SELECT id, source, author_id, author_handle, author_name, author_followers,
    post_ids, reason, priority, state, assignee, incident_id, notes, due,
    created_at, updated_at, customer_id, customer_name, customer_tier
FROM `earshot`.`followups` FINAL
ORDER BY priority ASC, created_at ASC, id ASC;

-- query followups_in_states
SELECT id, source, author_id, author_handle, author_name, author_followers,
    post_ids, reason, priority, state, assignee, incident_id, notes, due,
    created_at, updated_at, customer_id, customer_name, customer_tier
FROM `earshot`.`followups` FINAL
WHERE has(?, state)
ORDER BY priority ASC, created_at ASC, id ASC;

-- query gaps
SELECT id, collector, from_at, to_at, reason, filled_at
FROM `earshot`.`gaps` FINAL
WHERE from_at < ? AND (to_at = 0 OR to_at > ?)
ORDER BY from_at ASC, id ASC;

-- query health
SELECT collector, kind, last_run, last_success, last_error,
    last_error_at, failures, backoff, posts_last_hour, updated_at
FROM `earshot`.`health` FINAL
ORDER BY collector ASC;

-- query incident
SELECT id, source, title, status, severity, services, started_at,
    resolved_at, url, updated_at, updates, watches, closure
FROM `earshot`.`incidents` FINAL
WHERE id = ?
LIMIT 1;

-- query incidents
SELECT id, source, title, status, severity, services, started_at,
    resolved_at, url, updated_at, updates, watches, closure
FROM `earshot`.`incidents` FINAL
WHERE started_at < ? AND (resolved_at = 0 OR resolved_at > ?)
ORDER BY started_at ASC, id ASC;

-- query insert_account
INSERT INTO `earshot`.`accounts` (name, role, password_hash, created_at, password_changed_at, version);

-- query insert_alert
INSERT INTO `earshot`.`alerts` (id, kind, spike_id, watch, metric, severity, labels, incident_id, confidence,
    summary, why, starts_at, ends_at, raised_at, version);

-- query insert_cursor
INSERT INTO `earshot`.`cursors` (collector, cursor, version);

-- query insert_delivery
INSERT INTO `earshot`.`deliveries` (id, receiver, group_key, alert_ids, attempt, attempted_at, ok, error, version);

-- query insert_digest
INSERT INTO `earshot`.`digests` (id, name, from_at, to_at, sent_at, format, subject, html, markdown, recipients, ok, error, version);

-- query insert_episode
INSERT INTO `earshot`.`episodes` (id, watch, opened_at, updated_at, body, version);

-- query insert_erasure
INSERT INTO `earshot`.`erasures` (id, source, author_id, actor, erased_at, posts, follow_ups,
    alerts, version);

-- query insert_followup
INSERT INTO `earshot`.`followups` (id, source, author_id, author_handle, author_name, author_followers,
    post_ids, reason, priority, state, assignee, incident_id, notes, due, created_at, updated_at,
    version, customer_id, customer_name, customer_tier);

-- query insert_gap
INSERT INTO `earshot`.`gaps` (id, collector, from_at, to_at, reason, filled_at, version);

-- query insert_health
INSERT INTO `earshot`.`health` (collector, kind, last_run, last_success, last_error, last_error_at,
    failures, backoff, posts_last_hour, updated_at, version);

-- query insert_incident
INSERT INTO `earshot`.`incidents` (id, source, title, status, severity, services, started_at,
    resolved_at, url, updated_at, updates, watches, closure, version);

-- query insert_posts
INSERT INTO `earshot`.`posts` (id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    part_models, part_scores, incident_id, parent_id, reason, rating,
    from_brand, app_version, content_hash, version);

-- query insert_publication
INSERT INTO `earshot`.`publications` (id, incident_id, created_at, body, version);

-- query insert_rollup
INSERT INTO `earshot`.`post_rollup_in` (created_at, source, watches, label, score, sign);

-- query insert_rollup_rows
INSERT INTO `earshot`.`post_rollup` (bucket, watch, source, posts, scored, negative, positive, score_nano);

-- query insert_session
INSERT INTO `earshot`.`sessions` (hash, user_name, created_at, expires_at, revoked_at, version);

-- query insert_silence
INSERT INTO `earshot`.`silences` (id, starts_at, ends_at, body, version);

-- query insert_social_account
INSERT INTO `earshot`.`social_accounts` (source, handle_key, handle, kind, customer_id, name, tier, owner,
    updated_at, version);

-- query insert_spike
INSERT INTO `earshot`.`spikes` (id, scope_kind, scope_value, metric, start_at, peak_at, end_at, bucket,
    observed, expected, score, incident_id, link_confidence, version);

-- query insert_thread
INSERT INTO `earshot`.`episode_threads` (episode_id, receiver, ref, version);

-- query insert_token
INSERT INTO `earshot`.`api_tokens` (hash, user_name, name, scopes, created_at, revoked_at, version);

-- query link_candidates
SELECT id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    part_models, part_scores, incident_id, parent_id, reason, rating,
    from_brand, app_version, content_hash, version
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?) AND incident_id != ?;

-- query negative_candidates
SELECT id, created_at, score
FROM `earshot`.`post_ranks`
PREWHERE created_at >= ? AND created_at < ? AND score <= ?
WHERE label != '' AND (? = '' OR has(watches, ?)) AND (? = '' OR source = ?)
ORDER BY score ASC, created_at DESC, id ASC
LIMIT ?;

-- query negative_winners
SELECT id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    part_models, part_scores, incident_id, parent_id, reason, rating,
    from_brand, app_version, version, _part
FROM `earshot`.`posts`
PREWHERE created_at >= ? AND created_at <= ? AND created_at IN ? AND id IN ?;

-- query pending_mutations
SELECT count() FROM system.`mutations` WHERE database = ? AND table = ? AND is_done = 0;

-- query post
SELECT id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    part_models, part_scores, incident_id, parent_id, reason, rating,
    from_brand, app_version
FROM `earshot`.`posts` FINAL
WHERE id = ?
LIMIT 1;

-- query post_hashes
SELECT id, content_hash
FROM `earshot`.`posts` FINAL
WHERE id IN ? AND content_hash != 0;

-- query post_links
SELECT id, incident_id
FROM `earshot`.`posts` FINAL
WHERE id IN ? AND incident_id != '';

-- query post_partitions
SELECT DISTINCT partition FROM system.`parts`
WHERE database = ? AND table = ? AND active
ORDER BY partition;

-- query post_span
SELECT min(created_at), max(created_at), count() FROM `earshot`.`posts`;

-- query post_states
SELECT id, created_at, incident_id, version, source, watches, label, score
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at <= ? AND id IN ?;

-- query posts
SELECT id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    part_models, part_scores, incident_id, parent_id, reason, rating,
    from_brand, app_version
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?)
ORDER BY created_at DESC, id ASC
LIMIT ?;

-- query publications
SELECT body
FROM `earshot`.`publications` FINAL
WHERE incident_id = ?
ORDER BY created_at ASC, id ASC;

-- query record_migration
INSERT INTO `earshot`.`schema_migrations` (version, name, applied_at);

-- query rollup_bucket_span
SELECT min(bucket), max(bucket), count() FROM `earshot`.`post_rollup`;

-- query rollup_fixes
SELECT bucket, watch, source, toInt64(sum(posts)) AS p, toInt64(sum(scored)) AS sc,
    toInt64(sum(negative)) AS n, toInt64(sum(positive)) AS po, toInt64(sum(score_nano)) AS sn
FROM (
    SELECT toInt64(intDiv(created, 60000000000) * 60000000000) AS bucket, watch, source,
        toInt64(count()) AS posts, toInt64(countIf(label != '')) AS scored,
        toInt64(countIf(label = 'negative')) AS negative, toInt64(countIf(label = 'positive')) AS positive,
        toInt64(sum(toInt64((label != '') * round(score * 1000000000)))) AS score_nano
    FROM (
        SELECT created_at AS created, toString(source) AS source,
            watches AS ws, toString(label) AS label, score
        FROM `earshot`.`posts` FINAL
        PREWHERE created_at >= ? AND created_at < ?
    )
    ARRAY JOIN arrayPushFront(arrayFilter(w -> w != '', ws), '') AS watch
    GROUP BY bucket, watch, source
    UNION ALL
    SELECT bucket, watch, source, -sum(posts), -sum(scored), -sum(negative), -sum(positive), -sum(score_nano)
    FROM `earshot`.`post_rollup`
    PREWHERE bucket >= ? AND bucket < ?
    GROUP BY bucket, watch, source
)
GROUP BY bucket, watch, source
HAVING p != 0 OR sc != 0 OR n != 0 OR po != 0 OR sn != 0;

-- query rollup_posts
SELECT toInt64(sum(posts)) FROM `earshot`.`post_rollup`
PREWHERE bucket >= ? AND bucket < ? AND watch = '';

-- query rollup_series
SELECT intDiv(bucket, toInt64(?)) * toInt64(?) AS b, '' AS key,
    toUInt64(sum(posts)), toUInt64(sum(scored)), toUInt64(sum(negative)), toUInt64(sum(positive)),
    sum(score_nano) / 1000000000
FROM `earshot`.`post_rollup`
PREWHERE bucket >= ? AND bucket < ? AND watch = ?
WHERE (? = '' OR source = ?)
GROUP BY b, key
HAVING sum(posts) > 0
ORDER BY b, key;

-- query rollup_series_by_source
SELECT intDiv(bucket, toInt64(?)) * toInt64(?) AS b, source AS key,
    toUInt64(sum(posts)), toUInt64(sum(scored)), toUInt64(sum(negative)), toUInt64(sum(positive)),
    sum(score_nano) / 1000000000
FROM `earshot`.`post_rollup`
PREWHERE bucket >= ? AND bucket < ? AND watch = ?
WHERE (? = '' OR source = ?)
GROUP BY b, key
HAVING sum(posts) > 0
ORDER BY b, key;

-- query rollup_series_by_watch
SELECT intDiv(bucket, toInt64(?)) * toInt64(?) AS b, watch AS key,
    toUInt64(sum(posts)), toUInt64(sum(scored)), toUInt64(sum(negative)), toUInt64(sum(positive)),
    sum(score_nano) / 1000000000
FROM `earshot`.`post_rollup`
PREWHERE bucket >= ? AND bucket < ? AND watch != ''
WHERE (? = '' OR source = ?)
GROUP BY b, key
HAVING sum(posts) > 0
ORDER BY b, key;

-- query series
SELECT intDiv(created_at, toInt64(?)) * toInt64(?) AS bucket, '' AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key;

-- query series_by_source
SELECT intDiv(created_at, toInt64(?)) * toInt64(?) AS bucket, source AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key;

-- query series_by_watch
SELECT intDiv(created_at, toInt64(?)) * toInt64(?) AS bucket, watch AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM `earshot`.`posts` FINAL
ARRAY JOIN watches AS watch
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key;

-- query server_version
SELECT version();

-- query session
SELECT hash, user_name, created_at, expires_at, revoked_at
FROM `earshot`.`sessions` FINAL
WHERE hash = ?
LIMIT 1;

-- query silences
SELECT body
FROM `earshot`.`silences` FINAL
WHERE ends_at > ?
ORDER BY starts_at ASC, id ASC;

-- query social_accounts
SELECT source, handle, kind, customer_id, name, tier, owner, updated_at
FROM `earshot`.`social_accounts` FINAL
ORDER BY source ASC, handle_key ASC;

-- query spikes
SELECT id, scope_kind, scope_value, metric, start_at, peak_at,
    end_at, bucket, observed, expected, score, incident_id, link_confidence
FROM `earshot`.`spikes` FINAL
WHERE start_at < ? AND (end_at = 0 OR end_at > ?)
ORDER BY start_at ASC, id ASC;

-- query table_columns
SELECT name, type FROM system.columns WHERE database = ? AND table = ?;

-- query table_engine
SELECT engine_full FROM system.tables WHERE database = ? AND name = ?;

-- query thread
SELECT ref FROM `earshot`.`episode_threads` FINAL WHERE episode_id = ? AND receiver = ? LIMIT 1;

-- query token
SELECT hash, user_name, name, scopes, created_at, revoked_at
FROM `earshot`.`api_tokens` FINAL
WHERE hash = ?
LIMIT 1;

-- query tokens
SELECT hash, user_name, name, scopes, created_at, revoked_at
FROM `earshot`.`api_tokens` FINAL
WHERE user_name = ?
ORDER BY created_at ASC, name ASC, hash ASC;

-- query top_negative
SELECT id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    part_models, part_scores, incident_id, parent_id, reason, rating,
    from_brand, app_version
FROM `earshot`.`posts` FINAL
PREWHERE created_at >= ? AND created_at < ?
WHERE (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?) AND label != ''
ORDER BY score ASC, created_at DESC, id ASC
LIMIT ?;

