package clickhouse

import (
	"fmt"
	"slices"
	"strings"
)

// The statements the store sends, by name. Each is a text/template
// rendered once per store against its Dialect (see Dialect.Queries); "?"
// marks a parameter, bound by the driver. Times travel as int64
// nanoseconds: {{ts}} turns a parameter into the column's time type and
// {{ns "col"}} a column into nanoseconds. Batch inserts name their columns.
const (
	qInsertPosts       = "insert_posts"
	qPost              = "post"
	qCountPosts        = "count_posts"
	qSeries            = "series"
	qSeriesBySource    = "series_by_source"
	qSeriesByWatch     = "series_by_watch"
	qTopNegative       = "top_negative"
	qAuthors           = "authors"
	qCountAuthorPosts  = "count_author_posts"
	qEraseAuthor       = "erase_author"
	qPendingMutations  = "pending_mutations"
	qInsertIncident    = "insert_incident"
	qIncident          = "incident"
	qIncidents         = "incidents"
	qActiveIncidents   = "active_incidents"
	qInsertFollowUp    = "insert_followup"
	qFollowUp          = "followup"
	qFollowUps         = "followups"
	qFollowUpsInStates = "followups_in_states"
	qInsertSpike       = "insert_spike"
	qSpikes            = "spikes"
	qPostHashes        = "post_hashes"
	qPosts             = "posts"
	qPostLinks         = "post_links"
	qLinkCandidates    = "link_candidates"
	qInsertAlert       = "insert_alert"
	qAlerts            = "alerts"
	qInsertDelivery    = "insert_delivery"
	qDeliveries        = "deliveries"
	qInsertEpisode     = "insert_episode"
	qEpisodes          = "episodes"
	qInsertThread      = "insert_thread"
	qThread            = "thread"
	qInsertSilence     = "insert_silence"
	qSilences          = "silences"
	qInsertDigest      = "insert_digest"
	qDigest            = "digest"
	qDigests           = "digests"
	qInsertAccount     = "insert_account"
	qAccount           = "account"
	qAccounts          = "accounts"
	qInsertToken       = "insert_token"
	qToken             = "token"
	qTokens            = "tokens"
	qInsertSession     = "insert_session"
	qSession           = "session"
	qInsertPublication = "insert_publication"
	qPublications      = "publications"
	qInsertHealth      = "insert_health"
	qHealth            = "health"
	qInsertGap         = "insert_gap"
	qGaps              = "gaps"
	qInsertCursor      = "insert_cursor"
	qCursor            = "cursor"
	qServerVersion     = "server_version"
	qCreateDatabase    = "create_database"
	qAppliedMigrations = "applied_migrations"
	qRecordMigration   = "record_migration"
	qTableColumns      = "table_columns"
	qTableEngine       = "table_engine"
	qModifyTTL         = "modify_ttl"
	qPostPartitions    = "post_partitions"
	qDropPartition     = "drop_partition"

	// Rollup-only statements (Dialect.Rollups).
	qPostStates           = "post_states"
	qAuthorStates         = "author_states"
	qInsertRollup         = "insert_rollup"
	qRollupSeries         = "rollup_series"
	qRollupSeriesBySrc    = "rollup_series_by_source"
	qRollupSeriesByWatch  = "rollup_series_by_watch"
	qEdgeSeries           = "edge_series"
	qEdgeSeriesBySource   = "edge_series_by_source"
	qEdgeSeriesByWatch    = "edge_series_by_watch"
	qDropRollupPartition  = "drop_rollup_partition"
	qEraseRanks           = "erase_ranks"
	qDropRanksPartition   = "drop_ranks_partition"
	qModifyRanksTTL       = "modify_ranks_ttl"
	qModifyRollupTTL      = "modify_rollup_ttl"
	qNegativeCandidates   = "negative_candidates"
	qNegativeWinners      = "negative_winners"
	qRollupFixes          = "rollup_fixes"
	qInsertRollupRows     = "insert_rollup_rows"
	qRollupPosts          = "rollup_posts"
	qPostSpan             = "post_span"
	qRollupBucketSpan     = "rollup_bucket_span"
	qInsertSocialAccount  = "insert_social_account"
	qSocialAccounts       = "social_accounts"
	qCountAuthorFollowUps = "count_author_followups"
	qEraseAuthorFollowUps = "erase_author_followups"
	qAllAlerts            = "all_alerts"
	qEraseOldAlert        = "erase_old_alert"
	qInsertErasure        = "insert_erasure"
	qErasures             = "erasures"
)

// rankQueries are rendered only for a dialect with TimeSorted (post_ranks).
var rankQueries = []string{qEraseRanks, qDropRanksPartition, qModifyRanksTTL}

// rollupQueries are rendered only for a dialect with Rollups.
var rollupQueries = []string{qPostStates, qAuthorStates, qInsertRollup, qRollupSeries, qRollupSeriesBySrc,
	qRollupSeriesByWatch, qEdgeSeries, qEdgeSeriesBySource, qEdgeSeriesByWatch, qDropRollupPartition, qModifyRollupTTL,
	qNegativeCandidates, qNegativeWinners, qRollupFixes, qInsertRollupRows, qRollupPosts, qPostSpan, qRollupBucketSpan}

// postColumns are the posts table's columns as the store reads them, in
// scanning order; postInsertColumns as it writes them.
const (
	postColumns = `id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, {{ns "created_at"}}, {{ns "collected_at"}}, watches, score, label,
    {{if .Map}}parts{{else}}part_models, part_scores{{end}}, incident_id, parent_id, reason, rating,
    from_brand, app_version`
	postInsertColumns = `id, source, kind, url, author_id, author_handle, author_name, author_followers,
    text, lang, created_at, collected_at, watches, score, label,
    {{if .Map}}parts{{else}}part_models, part_scores{{end}}, incident_id, parent_id, reason, rating,
    from_brand, app_version, content_hash, version`

	// postWindow selects posts created in [from, to) matching the optional
	// watch and source filters: args from, to, watch, watch, source, source.
	// It starts with WHERE, or with PREWHERE on the creation time where
	// posts are sorted by it (TimeSorted): every version of a post shares its
	// creation time, so the rows PREWHERE leaves out before FINAL settles
	// versions are whole posts. The filters on other columns stay in
	// WHERE, after FINAL (a post's watches change between versions).
	postWindow = `{{if .TimeSorted}}PREWHERE{{else}}WHERE{{end}} created_at >= {{ts}} AND created_at < {{ts}}
{{if .TimeSorted}}WHERE{{else}}    AND{{end}} (? = '' OR has(watches, ?))
    AND (? = '' OR source = ?)`

	incidentColumns = `id, source, title, status, severity, services, {{ns "started_at"}},
    {{ns "resolved_at"}}, url, {{ns "updated_at"}}, updates, watches, closure`
	incidentInsertColumns = `id, source, title, status, severity, services, started_at,
    resolved_at, url, updated_at, updates, watches, closure, version`

	followUpColumns = `id, source, author_id, author_handle, author_name, author_followers,
    post_ids, reason, priority, state, assignee, incident_id, notes, {{ns "due"}},
    {{ns "created_at"}}, {{ns "updated_at"}}, customer_id, customer_name, customer_tier`
	followUpInsertColumns = `id, source, author_id, author_handle, author_name, author_followers,
    post_ids, reason, priority, state, assignee, incident_id, notes, due, created_at, updated_at,
    version, customer_id, customer_name, customer_tier`

	spikeColumns = `id, scope_kind, scope_value, metric, {{ns "start_at"}}, {{ns "peak_at"}},
    {{ns "end_at"}}, bucket, observed, expected, score, incident_id, link_confidence`
	spikeInsertColumns = `id, scope_kind, scope_value, metric, start_at, peak_at, end_at, bucket,
    observed, expected, score, incident_id, link_confidence, version`

	healthColumns = `collector, kind, {{ns "last_run"}}, {{ns "last_success"}}, last_error,
    {{ns "last_error_at"}}, failures, backoff, posts_last_hour, {{ns "updated_at"}}`
	healthInsertColumns = `collector, kind, last_run, last_success, last_error, last_error_at,
    failures, backoff, posts_last_hour, updated_at, version`

	gapColumns = `id, collector, {{ns "from_at"}}, {{ns "to_at"}}, reason, {{ns "filled_at"}}`

	alertColumns = `id, kind, spike_id, watch, metric, severity, labels, incident_id, confidence,
    summary, why, {{ns "starts_at"}}, {{ns "ends_at"}}, {{ns "raised_at"}}`
	alertInsertColumns = `id, kind, spike_id, watch, metric, severity, labels, incident_id, confidence,
    summary, why, starts_at, ends_at, raised_at, version`

	deliveryColumns       = `id, receiver, group_key, alert_ids, attempt, {{ns "attempted_at"}}, ok, error`
	deliveryInsertColumns = `id, receiver, group_key, alert_ids, attempt, attempted_at, ok, error, version`
	gapInsertColumns      = `id, collector, from_at, to_at, reason, filled_at, version`

	digestColumns = `id, name, {{ns "from_at"}}, {{ns "to_at"}}, {{ns "sent_at"}}, format, subject, html, markdown,
    recipients, ok, error`
	digestInsertColumns = `id, name, from_at, to_at, sent_at, format, subject, html, markdown, recipients, ok, error, version`

	accountColumns       = `name, role, password_hash, {{ns "created_at"}}, {{ns "password_changed_at"}}`
	accountInsertColumns = `name, role, password_hash, created_at, password_changed_at, version`
	tokenColumns         = `hash, user_name, name, scopes, {{ns "created_at"}}, {{ns "revoked_at"}}`
	tokenInsertColumns   = `hash, user_name, name, scopes, created_at, revoked_at, version`
	sessionColumns       = `hash, user_name, {{ns "created_at"}}, {{ns "expires_at"}}, {{ns "revoked_at"}}`
	sessionInsertColumns = `hash, user_name, created_at, expires_at, revoked_at, version`
)

// seriesSQL counts posts per bucket and key; args: width, width, then
// postWindow's.
func seriesSQL(key, join string) string {
	return `SELECT intDiv({{ns "created_at"}}, toInt64(?)) * toInt64(?) AS bucket, ` + key + ` AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM {{table "posts"}} FINAL` + join + `
` + postWindow + `
GROUP BY bucket, key
ORDER BY bucket, key`
}

// rollupSeriesSQL adds post_rollup's rows up per bucket and key; args:
// width, width, from, to (multiples of rollupWidth), then the watch (” for
// every post) unless byWatch, then source, source. Rows whose posts were
// all taken away (sign -1) add up to no post and are left out.
func rollupSeriesSQL(key string, byWatch bool) string {
	watch := "watch = ?"
	if byWatch {
		watch = "watch != ''"
	}
	return `SELECT intDiv(bucket, toInt64(?)) * toInt64(?) AS b, ` + key + ` AS key,
    toUInt64(sum(posts)), toUInt64(sum(scored)), toUInt64(sum(negative)), toUInt64(sum(positive)),
    sum(score_nano) / 1000000000
FROM {{table "post_rollup"}}
PREWHERE bucket >= ? AND bucket < ? AND ` + watch + `
WHERE (? = '' OR source = ?)
GROUP BY b, key
HAVING sum(posts) > 0
ORDER BY b, key`
}

// edgeSeriesSQL is seriesSQL over two ranges of creation times, the parts
// of a window the rollup's minutes do not cover: args width, width, from1,
// to1, from2, to2, then postWindow's filters (watch, watch, source,
// source). PREWHERE holds only the creation time, which every version of
// a post shares, so FINAL still sees all versions.
func edgeSeriesSQL(key, join string) string {
	return `SELECT intDiv({{ns "created_at"}}, toInt64(?)) * toInt64(?) AS bucket, ` + key + ` AS key,
    count() AS posts, countIf(label != '') AS scored, countIf(label = 'negative') AS negative,
    countIf(label = 'positive') AS positive, sumIf(score, label != '') AS score_sum
FROM {{table "posts"}} FINAL` + join + `
PREWHERE (created_at >= {{ts}} AND created_at < {{ts}}) OR (created_at >= {{ts}} AND created_at < {{ts}})
WHERE (? = '' OR has(watches, ?)) AND (? = '' OR source = ?)
GROUP BY bucket, key
ORDER BY bucket, key`
}

var queryTemplates = map[string]string{
	// The stored versions of a batch's posts, by ID and creation time
	// (which identify a post in the table sorted by time): args from, to
	// (the batch's earliest and latest creation times, both included),
	// then the IDs as a tuple. Where posts are sorted by source and ID
	// (cluster mode) a post is its ID, whatever its creation time: args
	// the IDs alone.
	qPostStates: `SELECT id, {{ns "created_at"}}, incident_id, version, source, watches, label, score
FROM {{table "posts"}} FINAL
{{if .TimeSorted}}PREWHERE created_at >= {{ts}} AND created_at <= {{ts}} AND id IN ?{{else}}WHERE id IN ?{{end}}`,
	// The stored versions of an author's posts, which EraseAuthor takes
	// out of the rollup.
	qAuthorStates: `SELECT {{ns "created_at"}}, source, watches, label, score
FROM {{table "posts"}} FINAL
WHERE source = ? AND author_id = ?`,
	// The rows, of every version, that rank first for TopNegative among
	// those scored at most a bound, read without FINAL and without the
	// posts' text: args from, to, the bound, watch, watch, source, source,
	// how many. The bound is in PREWHERE with the window: only the rows
	// under it are read whole. TopNegative then reads the stored versions
	// of their posts.
	// Where posts are sorted by time they are read from post_ranks, sorted
	// by score (migration 0019).
	qNegativeCandidates: `SELECT id, {{ns "created_at"}}, score
FROM {{if .TimeSorted}}{{table "post_ranks"}}{{else}}{{table "posts"}}{{end}}
PREWHERE created_at >= {{ts}} AND created_at < {{ts}} AND score <= ?
WHERE label != '' AND (? = '' OR has(watches, ?)) AND (? = '' OR source = ?)
ORDER BY score ASC, created_at DESC, id ASC
LIMIT ?`,
	// The versions of the candidates' posts, each with its row version and
	// part, of which TopNegative keeps the stored one (the highest version;
	// of equal versions the one of the later part, as FINAL does): args
	// from, to (the candidates' earliest and latest creation times, both
	// included), their exact creation times (nanoseconds) as a tuple, then
	// the IDs as a tuple. The exact times select, through the sorting key,
	// only the granules that hold a candidate (the span alone reads every
	// granule between the first and the last). Where posts are not sorted
	// by time (cluster mode) FINAL settles them instead, and the part is ''.
	qNegativeWinners: `SELECT ` + postColumns + `, version, {{if .TimeSorted}}_part{{else}}''{{end}}
FROM {{table "posts"}}{{if not .TimeSorted}} FINAL{{end}}
PREWHERE created_at >= {{ts}} AND created_at <= {{ts}} AND {{ns "created_at"}} IN ? AND id IN ?`,
	qInsertRollup: `INSERT INTO {{table "post_rollup_in"}} (created_at, source, watches, label, score, sign)`,
	// What post_rollup lacks, per minute, watch and source, to say what
	// the stored posts created in [from, to) say: the posts' counts (as
	// the materialized view computes them) less the rollup's, where they
	// differ. Args: from, to as times, then as buckets.
	qRollupFixes: `SELECT bucket, watch, source, toInt64(sum(posts)) AS p, toInt64(sum(scored)) AS sc,
    toInt64(sum(negative)) AS n, toInt64(sum(positive)) AS po, toInt64(sum(score_nano)) AS sn
FROM (
    SELECT toInt64(intDiv(created, {{rollupWidth}}) * {{rollupWidth}}) AS bucket, watch, source,
        toInt64(count()) AS posts, toInt64(countIf(label != '')) AS scored,
        toInt64(countIf(label = 'negative')) AS negative, toInt64(countIf(label = 'positive')) AS positive,
        toInt64(sum(toInt64((label != '') * round(score * 1000000000)))) AS score_nano
    FROM (
        SELECT {{ns "created_at"}} AS created, toString(source) AS source,
            {{if .LowCardinality}}CAST(watches AS Array(String)){{else}}watches{{end}} AS ws, toString(label) AS label, score
        FROM {{table "posts"}} FINAL
        {{if .TimeSorted}}PREWHERE{{else}}WHERE{{end}} created_at >= {{ts}} AND created_at < {{ts}}
    )
    ARRAY JOIN arrayPushFront(arrayFilter(w -> w != '', ws), '') AS watch
    GROUP BY bucket, watch, source
    UNION ALL
    SELECT bucket, watch, source, -sum(posts), -sum(scored), -sum(negative), -sum(positive), -sum(score_nano)
    FROM {{table "post_rollup"}}
    PREWHERE bucket >= ? AND bucket < ?
    GROUP BY bucket, watch, source
)
GROUP BY bucket, watch, source
HAVING p != 0 OR sc != 0 OR n != 0 OR po != 0 OR sn != 0`,
	qInsertRollupRows: `INSERT INTO {{table "post_rollup"}} (bucket, watch, source, posts, scored, negative, positive, score_nano)`,
	// The posts post_rollup counts in [from, to) (buckets).
	qRollupPosts: `SELECT toInt64(sum(posts)) FROM {{table "post_rollup"}}
PREWHERE bucket >= ? AND bucket < ? AND watch = ''`,
	// The first and last creation times of the posts, and whether any.
	qPostSpan:            `SELECT min({{ns "created_at"}}), max({{ns "created_at"}}), count() FROM {{table "posts"}}`,
	qRollupBucketSpan:    `SELECT min(bucket), max(bucket), count() FROM {{table "post_rollup"}}`,
	qRollupSeries:        rollupSeriesSQL("''", false),
	qRollupSeriesBySrc:   rollupSeriesSQL("source", false),
	qRollupSeriesByWatch: rollupSeriesSQL("watch", true),
	qEdgeSeries:          edgeSeriesSQL("''", ""),
	qEdgeSeriesBySource:  edgeSeriesSQL("source", ""),
	qEdgeSeriesByWatch:   edgeSeriesSQL("watch", "\nARRAY JOIN watches AS watch"),
	qDropRollupPartition: `ALTER TABLE {{local "post_rollup"}}{{onCluster}} DROP PARTITION ?`,
	qEraseRanks:          `ALTER TABLE {{table "post_ranks"}} DELETE WHERE source = ? AND author_id = ?`,
	qDropRanksPartition:  `ALTER TABLE {{table "post_ranks"}} DROP PARTITION ?`,
	qModifyRanksTTL:      `ALTER TABLE {{table "post_ranks"}} MODIFY TTL {{postTTL}}`,
	qModifyRollupTTL:     `ALTER TABLE {{local "post_rollup"}}{{onCluster}} MODIFY TTL {{rollupTTL}}`,

	qInsertPosts: `INSERT INTO {{table "posts"}} (` + postInsertColumns + `)`,
	qPost: `SELECT ` + postColumns + `
FROM {{table "posts"}} FINAL
WHERE id = ?
LIMIT 1`,
	qCountPosts: `SELECT count() FROM {{table "posts"}} FINAL
` + postWindow,
	qSeries:         seriesSQL("''", ""),
	qSeriesBySource: seriesSQL("source", ""),
	qSeriesByWatch:  seriesSQL("watch", "\nARRAY JOIN watches AS watch"),
	qTopNegative: `SELECT ` + postColumns + `
FROM {{table "posts"}} FINAL
` + postWindow + ` AND label != ''
ORDER BY score ASC, created_at DESC, id ASC
LIMIT ?`,
	qAuthors: `SELECT source, author_id, argMax(author_handle, created_at), argMax(author_name, created_at),
    argMax(author_followers, created_at), count() AS posts, countIf(label = 'negative'),
    countIf(label != ''), sumIf(score, label != ''), max(author_followers),
    min({{ns "created_at"}}), max({{ns "created_at"}})
FROM {{table "posts"}} FINAL
` + postWindow + `
GROUP BY source, author_id
ORDER BY posts DESC, source ASC, author_id ASC
LIMIT ?`,
	qCountAuthorPosts: `SELECT count() FROM {{table "posts"}} FINAL WHERE source = ? AND author_id = ?`,
	qEraseAuthor:      `ALTER TABLE {{local "posts"}}{{onCluster}} DELETE WHERE source = ? AND author_id = ?`,
	qPendingMutations: `SELECT count() FROM {{everyServer "mutations"}} WHERE database = ? AND table = ? AND is_done = 0`,

	qInsertIncident: `INSERT INTO {{table "incidents"}} (` + incidentInsertColumns + `)`,
	qIncident: `SELECT ` + incidentColumns + `
FROM {{table "incidents"}} FINAL
WHERE id = ?
LIMIT 1`,
	qIncidents: `SELECT ` + incidentColumns + `
FROM {{table "incidents"}} FINAL
WHERE started_at < {{ts}} AND ({{ns "resolved_at"}} = 0 OR resolved_at > {{ts}})
ORDER BY started_at ASC, id ASC`,
	qActiveIncidents: `SELECT ` + incidentColumns + `
FROM {{table "incidents"}} FINAL
WHERE started_at <= {{ts}} AND ({{ns "resolved_at"}} = 0 OR resolved_at > {{ts}})
ORDER BY started_at ASC, id ASC`,

	qInsertFollowUp: `INSERT INTO {{table "followups"}} (` + followUpInsertColumns + `)`,
	qFollowUp: `SELECT ` + followUpColumns + `
FROM {{table "followups"}} FINAL
WHERE id = ?
LIMIT 1`,
	qFollowUps: `SELECT ` + followUpColumns + `
FROM {{table "followups"}} FINAL
ORDER BY priority ASC, created_at ASC, id ASC`,
	qFollowUpsInStates: `SELECT ` + followUpColumns + `
FROM {{table "followups"}} FINAL
WHERE has(?, state)
ORDER BY priority ASC, created_at ASC, id ASC`,

	qInsertSpike: `INSERT INTO {{table "spikes"}} (` + spikeInsertColumns + `)`,
	qSpikes: `SELECT ` + spikeColumns + `
FROM {{table "spikes"}} FINAL
WHERE start_at < {{ts}} AND ({{ns "end_at"}} = 0 OR end_at > {{ts}})
ORDER BY start_at ASC, id ASC`,

	// The IDs are bound as a tuple (clickhouse.GroupSet): 18.16 takes no
	// array on the right of IN, and has(?, id) compares every row with
	// every ID (5,000 IDs over 300,000 posts on 18.16: 5.8 s, against
	// 23 ms for IN, about what argMax takes, which would not settle
	// versions collected at the same time as FINAL does). The hash of the
	// winning version is kept if it has one.
	qPostHashes: `SELECT id, content_hash
FROM {{table "posts"}} FINAL
WHERE id IN ? AND content_hash != 0`,

	qPosts: `SELECT ` + postColumns + `
FROM {{table "posts"}} FINAL
` + postWindow + `
ORDER BY created_at DESC, id ASC
LIMIT ?`,
	// The links of the stored versions of a batch's posts, which a version
	// saved without an incident keeps; the IDs go as a tuple, as for
	// post_hashes.
	qPostLinks: `SELECT id, incident_id
FROM {{table "posts"}} FINAL
WHERE id IN ? AND incident_id != ''`,
	// The window's posts LinkPosts changes, whole, with the hash and
	// version to write them again with: postWindow's args, then the
	// incident.
	qLinkCandidates: `SELECT ` + postColumns + `, content_hash, version
FROM {{table "posts"}} FINAL
` + postWindow + ` AND incident_id != ?`,

	qInsertAlert: `INSERT INTO {{table "alerts"}} (` + alertInsertColumns + `)`,
	qAlerts: `SELECT ` + alertColumns + `
FROM {{table "alerts"}} FINAL
WHERE raised_at >= {{ts}} AND raised_at < {{ts}}
ORDER BY raised_at ASC, id ASC`,
	qInsertDelivery: `INSERT INTO {{table "deliveries"}} (` + deliveryInsertColumns + `)`,
	qDeliveries: `SELECT ` + deliveryColumns + `
FROM {{table "deliveries"}} FINAL
WHERE attempted_at >= {{ts}} AND attempted_at < {{ts}}
ORDER BY attempted_at ASC, id ASC`,

	qInsertEpisode: `INSERT INTO {{table "episodes"}} (id, watch, opened_at, updated_at, body, version)`,
	qEpisodes: `SELECT body
FROM {{table "episodes"}} FINAL
WHERE opened_at < {{ts}} AND updated_at >= {{ts}}
ORDER BY opened_at ASC, id ASC`,
	qInsertThread:  `INSERT INTO {{table "episode_threads"}} (episode_id, receiver, ref, version)`,
	qThread:        `SELECT ref FROM {{table "episode_threads"}} FINAL WHERE episode_id = ? AND receiver = ? LIMIT 1`,
	qInsertSilence: `INSERT INTO {{table "silences"}} (id, starts_at, ends_at, body, version)`,
	qSilences: `SELECT body
FROM {{table "silences"}} FINAL
WHERE ends_at > {{ts}}
ORDER BY starts_at ASC, id ASC`,
	qInsertDigest:  `INSERT INTO {{table "digests"}} (` + digestInsertColumns + `)`,
	qInsertAccount: `INSERT INTO {{table "accounts"}} (` + accountInsertColumns + `)`,
	qAccount: `SELECT ` + accountColumns + `
FROM {{table "accounts"}} FINAL
WHERE name = ?
LIMIT 1`,
	qAccounts: `SELECT ` + accountColumns + `
FROM {{table "accounts"}} FINAL
ORDER BY name ASC`,
	qInsertToken: `INSERT INTO {{table "api_tokens"}} (` + tokenInsertColumns + `)`,
	qToken: `SELECT ` + tokenColumns + `
FROM {{table "api_tokens"}} FINAL
WHERE hash = ?
LIMIT 1`,
	qTokens: `SELECT ` + tokenColumns + `
FROM {{table "api_tokens"}} FINAL
WHERE user_name = ?
ORDER BY created_at ASC, name ASC, hash ASC`,
	qInsertSession: `INSERT INTO {{table "sessions"}} (` + sessionInsertColumns + `)`,
	qSession: `SELECT ` + sessionColumns + `
FROM {{table "sessions"}} FINAL
WHERE hash = ?
LIMIT 1`,
	qInsertSocialAccount: `INSERT INTO {{table "social_accounts"}} (source, handle_key, handle, kind, customer_id, name, tier, owner,
    updated_at, version)`,
	qSocialAccounts: `SELECT source, handle, kind, customer_id, name, tier, owner, {{ns "updated_at"}}
FROM {{table "social_accounts"}} FINAL
ORDER BY source ASC, handle_key ASC`,
	qCountAuthorFollowUps: `SELECT count() FROM {{table "followups"}} FINAL WHERE source = ? AND author_id = ?`,
	qEraseAuthorFollowUps: `ALTER TABLE {{local "followups"}}{{onCluster}} DELETE WHERE source = ? AND author_id = ?`,
	qAllAlerts: `SELECT ` + alertColumns + `
FROM {{table "alerts"}} FINAL
ORDER BY raised_at ASC, id ASC`,
	qEraseOldAlert: `ALTER TABLE {{local "alerts"}}{{onCluster}} DELETE WHERE id = ? AND version < ?`,
	qInsertErasure: `INSERT INTO {{table "erasures"}} (id, source, author_id, actor, erased_at, posts, follow_ups,
    alerts, version)`,
	qErasures: `SELECT id, source, author_id, actor, {{ns "erased_at"}}, posts, follow_ups, alerts
FROM {{table "erasures"}} FINAL
ORDER BY erased_at ASC, id ASC`,
	qDigest: `SELECT ` + digestColumns + `
FROM {{table "digests"}} FINAL
WHERE id = ?
LIMIT 1`,
	qDigests: `SELECT ` + digestColumns + `
FROM {{table "digests"}} FINAL
ORDER BY sent_at DESC, id ASC
LIMIT ?`,
	qInsertPublication: `INSERT INTO {{table "publications"}} (id, incident_id, created_at, body, version)`,
	qPublications: `SELECT body
FROM {{table "publications"}} FINAL
WHERE incident_id = ?
ORDER BY created_at ASC, id ASC`,

	qInsertHealth: `INSERT INTO {{table "health"}} (` + healthInsertColumns + `)`,
	qHealth: `SELECT ` + healthColumns + `
FROM {{table "health"}} FINAL
ORDER BY collector ASC`,
	qInsertGap: `INSERT INTO {{table "gaps"}} (` + gapInsertColumns + `)`,
	qGaps: `SELECT ` + gapColumns + `
FROM {{table "gaps"}} FINAL
WHERE from_at < {{ts}} AND ({{ns "to_at"}} = 0 OR to_at > {{ts}})
ORDER BY from_at ASC, id ASC`,

	qInsertCursor: `INSERT INTO {{table "cursors"}} (collector, cursor, version)`,
	qCursor:       `SELECT cursor FROM {{table "cursors"}} FINAL WHERE collector = ? LIMIT 1`,

	qServerVersion:     `SELECT version()`,
	qCreateDatabase:    `CREATE DATABASE IF NOT EXISTS {{.DB | ident}}{{onCluster}}`,
	qAppliedMigrations: `SELECT version FROM {{table "schema_migrations"}} ORDER BY version`,
	qRecordMigration:   `INSERT INTO {{table "schema_migrations"}} (version, name, applied_at)`,
	qTableColumns:      `SELECT name, type FROM system.columns WHERE database = ? AND table = ?`,
	qTableEngine:       `SELECT engine_full FROM system.tables WHERE database = ? AND name = ?`,
	qModifyTTL:         `ALTER TABLE {{local "posts"}}{{onCluster}} MODIFY TTL {{postTTL}}`,
	// The months a table holds, on every server: args database, table
	// (the local one).
	qPostPartitions: `SELECT DISTINCT partition FROM {{everyServer "parts"}}
WHERE database = ? AND table = ? AND active
ORDER BY partition`,
	qDropPartition: `ALTER TABLE {{local "posts"}}{{onCluster}} DROP PARTITION ?`,
}

// Queries renders every statement the store sends, by name, for d.
func (d Dialect) Queries() (map[string]string, error) {
	out := make(map[string]string, len(queryTemplates))
	for name, text := range queryTemplates {
		if (name == qModifyTTL || name == qModifyRanksTTL) && d.postTTL() == "" || name == qModifyRollupTTL && d.rollupTTL() == "" {
			continue
		}
		if !d.TimeSorted && slices.Contains(rankQueries, name) {
			continue
		}
		if !d.Rollups && slices.Contains(rollupQueries, name) {
			continue
		}
		sql, err := d.render(name, text)
		if err != nil {
			return nil, err
		}
		out[name] = sql
	}
	return out, nil
}

// countArgs returns how many "?" parameters a rendered statement takes.
func countArgs(sql string) int { return strings.Count(sql, "?") }

func mustQuery(q map[string]string, name string) string {
	sql, ok := q[name]
	if !ok {
		panic(fmt.Sprintf("clickhouse: no query %q", name))
	}
	return sql
}
