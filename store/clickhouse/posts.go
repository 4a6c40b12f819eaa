package clickhouse

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

// maxBatch caps the rows of one INSERT; a larger SavePosts sends several.
const maxBatch = 50_000

// defaultLimit is the row cap of a PostQuery whose Limit is 0.
const defaultLimit = 100

// maxPosts caps the posts Posts returns, whatever the query's Limit.
const maxPosts = 10_000

// SavePosts stores posts in batched inserts. A post's row version is its
// CollectedAt, so the table keeps the latest collected version whatever
// the order of saves; of versions collected at the same instant the one
// saved last wins, also within one call (duplicates in posts are settled
// here, before sending). A version without an IncidentID is written with
// the incident of the stored version, if it has one (read first, in one
// query per insert), so that a link outlives re-collection; content_hash
// stays the hash of the version as given. A rating outside 1 to 5 is
// stored as 0, none. A LinkPosts running at the same time as a save of a
// newer version of one of its posts may lose that post's link (the newer
// version wins); linking again restores it.
//
// With rollups (see Dialect.Rollups), the stored version of each post is
// read first (the same query that finds its link) and post_rollup is kept
// to the stored versions: a post not stored yet is added (sign 1); a
// version that replaces the stored one takes the stored one away (sign -1)
// and adds itself, unless the two count alike (same time, source, watches,
// label and score: a post collected again unchanged writes nothing); a
// version older than the stored one changes nothing, as it does not
// replace it. The posts go in first, then their rollup rows. Saves, links
// and erasures of one Store take turns, so two saves of the same post
// cannot both take away the version they read; two processes saving the
// same post at the same instant could still (the collectors and import
// of one serve are one Store). A save that fails between the two inserts
// leaves the rollup off for its posts.
func (s *Store) SavePosts(ctx context.Context, posts []earshot.Post) error {
	if len(posts) == 0 {
		return nil
	}
	if s.d.Rollups {
		s.postsMu.Lock()
		defer s.postsMu.Unlock()
	}
	for chunk := range slices.Chunk(earshot.LatestVersions(posts), maxBatch) {
		var (
			links  map[string]string
			states map[postKey]postState
			err    error
		)
		if s.d.Rollups {
			states, err = s.storedStates(ctx, chunk)
		} else {
			links, err = s.storedLinks(ctx, chunk)
		}
		if err != nil {
			return fmt.Errorf("saving posts: %w", err)
		}
		rows := make([][]any, len(chunk))
		var deltas [][]any
		for i, p := range chunk {
			hash, version := earshot.ContentHash(p), collectedVersion(p)
			if s.d.Rollups {
				now := stateOf(p, version)
				old, stored := states[s.postKey(p.ID, now.created)]
				switch {
				case !stored:
					deltas = append(deltas, now.rollupRow(1))
				case version >= old.version && !old.countsAs(now):
					deltas = append(deltas, old.rollupRow(-1), now.rollupRow(1))
				}
				p = earshot.KeepLink(p, earshot.Post{IncidentID: old.incident})
			} else {
				p = earshot.KeepLink(p, earshot.Post{IncidentID: links[p.ID]})
			}
			rows[i] = s.postRowWith(p, hash, version)
		}
		if err := s.insertPosts(ctx, chunk, rows); err != nil {
			return fmt.Errorf("saving posts: %w", err)
		}
		if err := s.insertRollup(ctx, deltas); err != nil {
			return fmt.Errorf("saving posts: %w", err)
		}
	}
	return nil
}

// postKey identifies a post: by ID and creation time in the table sorted
// by time, by ID alone in the one sorted by source and ID (created 0).
type postKey struct {
	id      string
	created int64
}

func (s *Store) postKey(id string, created int64) postKey {
	if !s.d.TimeSorted {
		created = 0
	}
	return postKey{id, created}
}

// postState is what post_rollup counts of one version of a post, with its
// row version and incident.
type postState struct {
	incident string
	version  uint64
	created  int64
	source   string
	watches  []string
	label    string
	score    float64
}

func stateOf(p earshot.Post, version uint64) postState {
	return postState{incident: p.IncidentID, version: version, created: toNS(p.CreatedAt), source: p.Source,
		watches: p.Watches, label: string(p.Sentiment.Label), score: p.Sentiment.Score}
}

// countsAs reports whether the rollup counts st and o alike.
func (st postState) countsAs(o postState) bool {
	return st.created == o.created && st.source == o.source && slices.Equal(st.watches, o.watches) &&
		st.label == o.label && (st.label == "" || st.score == o.score)
}

// rollupRow is st as post_rollup_in's insert columns, with sign.
func (st postState) rollupRow(sign int8) []any {
	watches := st.watches
	if watches == nil {
		watches = []string{}
	}
	return []any{st.created, st.source, watches, st.label, st.score, sign}
}

// maxStateIDs caps the IDs of one query by ID (stored versions, links,
// hashes): the server parses each as an element of the query (at most
// 50,000 by default).
const maxStateIDs = 10_000

// storedStates returns the stored version of each post of posts that is
// stored, by ID and creation time.
func (s *Store) storedStates(ctx context.Context, posts []earshot.Post) (map[postKey]postState, error) {
	out := make(map[postKey]postState, len(posts))
	for part := range slices.Chunk(posts, maxStateIDs) {
		if err := s.addStoredStates(ctx, out, part); err != nil {
			return nil, fmt.Errorf("reading stored versions: %w", err)
		}
	}
	return out, nil
}

func (s *Store) addStoredStates(ctx context.Context, out map[postKey]postState, posts []earshot.Post) error {
	ids := make([]any, 0, len(posts))
	from, to := int64(math.MaxInt64), int64(math.MinInt64)
	for _, p := range posts {
		ids = append(ids, p.ID)
		from, to = min(from, toNS(p.CreatedAt)), max(to, toNS(p.CreatedAt))
	}
	query := mustQuery(s.q, qPostStates)
	args := []any{clickhouse.GroupSet{Value: ids}}
	if s.d.TimeSorted {
		args = append([]any{from, to}, args...)
	}
	rows, err := s.conn.Query(idSetContext(ctx, query, ids), query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id string
			st postState
		)
		if err := rows.Scan(&id, &st.created, &st.incident, &st.version, &st.source, &st.watches, &st.label, &st.score); err != nil {
			return err
		}
		if len(st.watches) == 0 {
			st.watches = nil
		}
		out[s.postKey(id, st.created)] = st
	}
	return rows.Err()
}

// insertRollup sends rows of post_rollup_in in one insert.
func (s *Store) insertRollup(ctx context.Context, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertRollup))
	if err != nil {
		return fmt.Errorf("updating the rollup: %w", err)
	}
	for _, row := range rows {
		if err := b.Append(row...); err != nil {
			_ = b.Abort()
			return fmt.Errorf("updating the rollup: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("updating the rollup: %w", err)
	}
	return nil
}

// storedLinks returns the incident of the stored version of each post of
// posts that has none of its own, where the stored version has one, in
// one query per maxStateIDs posts.
func (s *Store) storedLinks(ctx context.Context, posts []earshot.Post) (map[string]string, error) {
	var ids []any
	for _, p := range posts {
		if p.IncidentID == "" {
			ids = append(ids, p.ID)
		}
	}
	links := map[string]string{}
	for part := range slices.Chunk(ids, maxStateIDs) {
		if err := s.addStoredLinks(ctx, links, part); err != nil {
			return nil, fmt.Errorf("reading links: %w", err)
		}
	}
	return links, nil
}

func (s *Store) addStoredLinks(ctx context.Context, links map[string]string, ids []any) error {
	query := mustQuery(s.q, qPostLinks)
	rows, err := s.conn.Query(idSetContext(ctx, query, ids), query, clickhouse.GroupSet{Value: ids})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, incident string
		if err := rows.Scan(&id, &incident); err != nil {
			return err
		}
		links[id] = incident
	}
	return rows.Err()
}

// idSetContext lets the server parse a query whose text holds ids (bound
// as a tuple) whole: it raises max_query_size when they need it.
func idSetContext(ctx context.Context, query string, sets ...[]any) context.Context {
	size := len(query)
	for _, set := range sets {
		for _, v := range set {
			switch v := v.(type) {
			case string:
				size += 2*len(v) + 4 // quoted, escaped at worst, and a separator
			case int64:
				size += 21 // a sign, 19 digits and a separator
			}
		}
	}
	if size > defaultMaxQuerySize/2 {
		return clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_query_size": 2 * size}))
	}
	return ctx
}

// insertPosts sends rows, the rows of posts, in one insert.
func (s *Store) insertPosts(ctx context.Context, posts []earshot.Post, rows [][]any) error {
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertPosts))
	if err != nil {
		return err
	}
	for i, row := range rows {
		if err := b.Append(row...); err != nil {
			_ = b.Abort()
			return fmt.Errorf("post %s: %w", posts[i].ID, err)
		}
	}
	return b.Send()
}

// collectedVersion is the row version of a post saved by SavePosts: its
// CollectedAt in nanoseconds.
func collectedVersion(p earshot.Post) uint64 { return uint64(max(toNS(p.CollectedAt), 0)) }

// postRow is p as the posts table's insert columns, as SavePosts writes a
// post given with no stored link to keep.
func (s *Store) postRow(p earshot.Post) []any {
	return s.postRowWith(p, earshot.ContentHash(p), collectedVersion(p))
}

// postRowWith is p as the posts table's insert columns, with the content
// hash and row version given.
func (s *Store) postRowWith(p earshot.Post, hash, version uint64) []any {
	watches := p.Watches
	if watches == nil {
		watches = []string{}
	}
	row := []any{
		p.ID, p.Source, string(p.Kind), p.URL,
		p.Author.ID, p.Author.Handle, p.Author.Name, p.Author.Followers,
		p.Text, p.Lang, s.timeArg(p.CreatedAt), s.timeArg(p.CollectedAt),
		watches, p.Sentiment.Score, string(p.Sentiment.Label),
	}
	if s.d.Map {
		parts := p.Sentiment.Parts
		if parts == nil {
			parts = map[string]float64{}
		}
		row = append(row, parts)
	} else {
		models := slices.Sorted(maps.Keys(p.Sentiment.Parts))
		scores := make([]float64, len(models))
		for i, m := range models {
			scores[i] = p.Sentiment.Parts[m]
		}
		if models == nil {
			models = []string{}
		}
		row = append(row, models, scores)
	}
	return append(row, p.IncidentID, p.ParentID, string(p.Sentiment.Reason), earshot.Stars(p.Rating), boolByte(p.FromBrand),
		p.AppVersion, hash, version)
}

// boolByte is b as a UInt8 column holds it.
func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// scanPost reads one row of postColumns, then any extra columns into
// extra.
func (s *Store) scanPost(rows driver.Rows, extra ...any) (earshot.Post, error) {
	var (
		p                   earshot.Post
		kind, label, reason string
		rating, fromBrand   uint8
		created, collected  int64
		parts               map[string]float64
		models              []string
		scores              []float64
	)
	dest := []any{
		&p.ID, &p.Source, &kind, &p.URL,
		&p.Author.ID, &p.Author.Handle, &p.Author.Name, &p.Author.Followers,
		&p.Text, &p.Lang, &created, &collected, &p.Watches, &p.Sentiment.Score, &label,
	}
	if s.d.Map {
		dest = append(dest, &parts)
	} else {
		dest = append(dest, &models, &scores)
	}
	dest = append(dest, &p.IncidentID, &p.ParentID, &reason, &rating, &fromBrand, &p.AppVersion)
	dest = append(dest, extra...)
	if err := rows.Scan(dest...); err != nil {
		return earshot.Post{}, err
	}
	p.Kind = earshot.Kind(kind)
	p.Sentiment.Label = earshot.Label(label)
	p.Sentiment.Reason = earshot.Reason(reason)
	p.Rating, p.FromBrand = int(rating), fromBrand != 0
	p.CreatedAt, p.CollectedAt = fromNS(created), fromNS(collected)
	if len(p.Watches) == 0 {
		p.Watches = nil
	}
	if !s.d.Map && len(models) > 0 {
		parts = make(map[string]float64, len(models))
		for i, m := range models {
			if i < len(scores) {
				parts[m] = scores[i]
			}
		}
	}
	if len(parts) > 0 {
		p.Sentiment.Parts = parts
	}
	return p, nil
}

func (s *Store) queryPosts(ctx context.Context, query string, args ...any) ([]earshot.Post, error) {
	return queryAll(ctx, s.conn, func(rows driver.Rows) (earshot.Post, error) { return s.scanPost(rows) }, query, args...)
}

// Post returns the stored version of one post, or earshot.ErrNotFound.
func (s *Store) Post(ctx context.Context, id string) (earshot.Post, error) {
	posts, err := s.queryPosts(ctx, mustQuery(s.q, qPost), id)
	if err != nil {
		return earshot.Post{}, fmt.Errorf("reading post %s: %w", id, err)
	}
	if len(posts) == 0 {
		return earshot.Post{}, fmt.Errorf("reading post %s: %w", id, earshot.ErrNotFound)
	}
	return posts[0], nil
}

// windowArgs are postWindow's parameters.
func windowArgs(from, to time.Time, watch, source string) []any {
	return []any{toNS(from), toNS(to), watch, watch, source, source}
}

// CountPosts counts the posts created in [q.From, q.To) matching q.
func (s *Store) CountPosts(ctx context.Context, q earshot.PostQuery) (int64, error) {
	var n uint64
	err := s.conn.QueryRow(ctx, mustQuery(s.q, qCountPosts), windowArgs(q.From, q.To, q.Watch, q.Source)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting posts: %w", err)
	}
	return int64(n), nil
}

// Series buckets the posts created in [q.From, q.To) by creation time.
// Buckets start at multiples of q.Bucket since the epoch, computed on
// nanoseconds, so no server-side calendar function is involved.
//
// With rollups, a width that is a multiple of a minute reads post_rollup
// for the whole minutes of the window and the posts only for the part of
// a minute at either end, if any, and adds the two up; grouped by watch
// with a watch filter (a post's other watches are groups too, which the
// rollup does not know) it reads the posts.
func (s *Store) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	if q.Bucket <= 0 {
		return nil, fmt.Errorf("reading series: bucket width %v is not positive", q.Bucket)
	}
	var name, rollup, edges string
	switch q.GroupBy {
	case earshot.GroupNone:
		name, rollup, edges = qSeries, qRollupSeries, qEdgeSeries
	case earshot.GroupSource:
		name, rollup, edges = qSeriesBySource, qRollupSeriesBySrc, qEdgeSeriesBySource
	case earshot.GroupWatch:
		name, rollup, edges = qSeriesByWatch, qRollupSeriesByWatch, qEdgeSeriesByWatch
	default:
		return nil, fmt.Errorf("reading series: unknown grouping %q", q.GroupBy)
	}
	width := int64(q.Bucket)
	from, to := toNS(q.From), toNS(q.To)
	if lo, hi, ok := s.rollupSpan(q, from, to); ok {
		args := []any{width, width, lo, hi}
		if q.GroupBy != earshot.GroupWatch {
			args = append(args, q.Watch)
		}
		sums := bucketSums{}
		if err := s.addSeries(ctx, sums, rollup, append(args, q.Source, q.Source)...); err != nil {
			return nil, err
		}
		if from < lo || hi < to {
			args := []any{width, width, from, lo, hi, to, q.Watch, q.Watch, q.Source, q.Source}
			if err := s.addSeries(ctx, sums, edges, args...); err != nil {
				return nil, err
			}
		}
		return sums.buckets(), nil
	}
	sums := bucketSums{}
	args := append([]any{width, width}, windowArgs(q.From, q.To, q.Watch, q.Source)...)
	if err := s.addSeries(ctx, sums, name, args...); err != nil {
		return nil, err
	}
	return sums.buckets(), nil
}

// rollupSpan returns the whole minutes [lo, hi) of the window [from, to)
// that post_rollup answers for q, and whether it does.
func (s *Store) rollupSpan(q earshot.SeriesQuery, from, to int64) (lo, hi int64, ok bool) {
	w := int64(rollupWidth)
	if !s.d.Rollups || int64(q.Bucket)%w != 0 || q.GroupBy == earshot.GroupWatch && q.Watch != "" || from < 0 || to < 0 {
		return 0, 0, false
	}
	lo, hi = (from+w-1)/w*w, to/w*w
	return lo, hi, lo < hi
}

// bucketKey is a series bucket's start and key.
type bucketKey struct {
	start int64
	key   string
}

// bucketSum adds the rows of one bucket up.
type bucketSum struct {
	count, scored, negative, positive uint64
	scoreSum                          float64
}

type bucketSums map[bucketKey]*bucketSum

// addSeries runs a series query and adds its rows to sums.
func (s *Store) addSeries(ctx context.Context, sums bucketSums, name string, args ...any) error {
	rows, err := s.conn.Query(ctx, mustQuery(s.q, name), args...)
	if err != nil {
		return fmt.Errorf("reading series: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k bucketKey
			r bucketSum
		)
		if err := rows.Scan(&k.start, &k.key, &r.count, &r.scored, &r.negative, &r.positive, &r.scoreSum); err != nil {
			return fmt.Errorf("reading series: %w", err)
		}
		sum := sums[k]
		if sum == nil {
			sum = &bucketSum{}
			sums[k] = sum
		}
		sum.count += r.count
		sum.scored += r.scored
		sum.negative += r.negative
		sum.positive += r.positive
		sum.scoreSum += r.scoreSum
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading series: %w", err)
	}
	return nil
}

// buckets returns the sums as buckets, by start then key.
func (sums bucketSums) buckets() []earshot.Bucket {
	keys := slices.SortedFunc(maps.Keys(sums), func(a, b bucketKey) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	var out []earshot.Bucket
	for _, k := range keys {
		r := sums[k]
		b := earshot.Bucket{
			Start: time.Unix(0, k.start).UTC(), Key: k.key, Count: int64(r.count),
			Scored: int64(r.scored), Negative: int64(r.negative), Positive: int64(r.positive),
		}
		if r.scored > 0 {
			b.MeanSentiment = r.scoreSum / float64(r.scored)
		}
		out = append(out, b)
	}
	return out
}

func limit(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return n
}

// TopNegative returns the most negative scored posts in the window.
func (s *Store) TopNegative(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	if s.d.Rollups {
		posts, ok, err := s.topNegativeByCandidates(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("reading top negative posts: %w", err)
		}
		if ok {
			return posts, nil
		}
	}
	args := append(windowArgs(q.From, q.To, q.Watch, q.Source), limit(q.Limit))
	posts, err := s.queryPosts(ctx, mustQuery(s.q, qTopNegative), args...)
	if err != nil {
		return nil, fmt.Errorf("reading top negative posts: %w", err)
	}
	return posts, nil
}

// negativeBounds are the scores under which topNegativeByCandidates
// looks for its rows first, in turn: most windows have enough very
// negative posts, and rows above the bound are not read whole.
var negativeBounds = []float64{-0.99, -0.9, -0.5, 0, math.MaxFloat64}

// topNegativeByCandidates answers TopNegative without reading the window
// with FINAL: it takes the k rows of any version that rank first (scored,
// matching q, by score, then newest, then ID), reads the versions of their
// posts (a few IDs) and settles which is stored, and keeps the posts whose
// stored version matches q and ranks where one of those rows does. Every
// other post ranks after all k rows; so when at least n posts are kept, or
// the k rows were every row there is, the first n kept are the answer. Else
// it tries again with more rows, and after that gives up (ok false) for the
// FINAL query: a window whose first rows are mostly stale versions. The k
// rows are looked for under a bound on the score first (negativeBounds):
// when k rows are under it, they are the k that rank first.
func (s *Store) topNegativeByCandidates(ctx context.Context, q earshot.PostQuery) (posts []earshot.Post, ok bool, err error) {
	n := limit(q.Limit)
	from, to := toNS(q.From), toNS(q.To)
	for k := 2*n + 50; k <= min(32*n+800, maxStateIDs); k *= 4 {
		c, err := s.negativeCandidates(ctx, q, k)
		if err != nil {
			return nil, false, err
		}
		if len(c.ids) == 0 {
			return nil, true, nil
		}
		winners, err := s.storedVersions(ctx, c)
		if err != nil {
			return nil, false, err
		}
		var kept []earshot.Post
		for _, p := range winners {
			created := toNS(p.CreatedAt)
			if created < from || created >= to || p.Sentiment.Label == "" ||
				q.Watch != "" && !slices.Contains(p.Watches, q.Watch) || q.Source != "" && p.Source != q.Source {
				continue
			}
			if slices.Contains(c.seen[p.ID], candidateRow{created, p.Sentiment.Score}) {
				kept = append(kept, p)
			}
		}
		if len(kept) >= n || c.got < k {
			slices.SortFunc(kept, func(a, b earshot.Post) int {
				return cmp.Or(cmp.Compare(a.Sentiment.Score, b.Sentiment.Score), b.CreatedAt.Compare(a.CreatedAt), strings.Compare(a.ID, b.ID))
			})
			return kept[:min(n, len(kept))], true, nil
		}
	}
	return nil, false, nil
}

// candidateRow is a row TopNegative ranks: a version's creation time and
// score.
type candidateRow struct {
	created int64
	score   float64
}

// candidates are the rows of any version that rank first for a query:
// each post's rows by its ID (seen), the IDs and the rows' distinct
// creation times in the order met, the earliest and latest of those
// times, and how many rows there were.
type candidates struct {
	seen      map[string][]candidateRow
	ids       []any
	times     []any
	lo, hi    int64
	got       int
	timesSeen map[int64]bool
}

// add records one row of the post id.
func (c *candidates) add(id string, r candidateRow) {
	c.got++
	if _, ok := c.seen[id]; !ok {
		c.ids = append(c.ids, id)
	}
	c.seen[id] = append(c.seen[id], r)
	if !c.timesSeen[r.created] {
		c.timesSeen[r.created] = true
		c.times = append(c.times, r.created)
	}
	c.lo, c.hi = min(c.lo, r.created), max(c.hi, r.created)
}

// negativeCandidates returns the k rows of any version that rank first
// for q (fewer than k: every row there is).
func (s *Store) negativeCandidates(ctx context.Context, q earshot.PostQuery, k int) (*candidates, error) {
	var c *candidates
	for _, bound := range negativeBounds {
		c = &candidates{seen: map[string][]candidateRow{}, timesSeen: map[int64]bool{},
			lo: math.MaxInt64, hi: math.MinInt64}
		rows, err := s.conn.Query(ctx, mustQuery(s.q, qNegativeCandidates),
			toNS(q.From), toNS(q.To), bound, q.Watch, q.Watch, q.Source, q.Source, k)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var (
				id string
				r  candidateRow
			)
			if err := rows.Scan(&id, &r.created, &r.score); err != nil {
				rows.Close()
				return nil, err
			}
			c.add(id, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if c.got >= k {
			break
		}
	}
	return c, nil
}

// storedVersions returns the stored version of each candidate post, as
// FINAL would: of the rows of one post (ID, source and, where posts are
// sorted by time, creation time) the highest version, and of equal
// versions the one of the part with the later block numbers (rows of one
// post with equal versions in one part were settled when the part was
// made). It asks for the candidates' exact creation times as well as
// their IDs: where posts are sorted by time, only the granules holding one
// of those times are read, however far apart the candidates lie.
func (s *Store) storedVersions(ctx context.Context, c *candidates) ([]earshot.Post, error) {
	query := mustQuery(s.q, qNegativeWinners)
	rows, err := s.conn.Query(idSetContext(ctx, query, c.ids, c.times), query, c.lo, c.hi,
		clickhouse.GroupSet{Value: c.times}, clickhouse.GroupSet{Value: c.ids})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		id, source string
		created    int64
	}
	type best struct {
		p              earshot.Post
		version, block uint64
	}
	stored := map[key]best{}
	var order []key
	for rows.Next() {
		var (
			version uint64
			part    string
		)
		p, err := s.scanPost(rows, &version, &part)
		if err != nil {
			return nil, err
		}
		k := key{p.ID, p.Source, toNS(p.CreatedAt)}
		b := best{p, version, partBlock(part)}
		old, ok := stored[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || b.version > old.version || b.version == old.version && b.block >= old.block {
			stored[k] = b
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]earshot.Post, len(order))
	for i, k := range order {
		out[i] = stored[k].p
	}
	return out, nil
}

// partBlock is the last block number of a part named
// partition_minblock_maxblock_level[_mutation], 0 when the name is not one.
func partBlock(part string) uint64 {
	fields := strings.Split(part, "_")
	if len(fields) < 4 {
		return 0
	}
	n, err := strconv.ParseUint(fields[2], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// Authors aggregates the window's posts per author.
func (s *Store) Authors(ctx context.Context, q earshot.PostQuery) ([]earshot.AuthorStats, error) {
	args := append(windowArgs(q.From, q.To, q.Watch, q.Source), limit(q.Limit))
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qAuthors), args...)
	if err != nil {
		return nil, fmt.Errorf("reading authors: %w", err)
	}
	defer rows.Close()
	var out []earshot.AuthorStats
	for rows.Next() {
		var (
			a                       earshot.AuthorStats
			posts, negative, scored uint64
			scoreSum                float64
			first, last             int64
		)
		if err := rows.Scan(&a.Source, &a.Author.ID, &a.Author.Handle, &a.Author.Name, &a.Author.Followers,
			&posts, &negative, &scored, &scoreSum, &a.Reach, &first, &last); err != nil {
			return nil, fmt.Errorf("reading authors: %w", err)
		}
		a.Posts, a.Negative = int64(posts), int64(negative)
		if scored > 0 {
			a.MeanSentiment = scoreSum / float64(scored)
		}
		a.FirstAt, a.LastAt = fromNS(first), fromNS(last)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading authors: %w", err)
	}
	return out, nil
}

// EraseAuthor deletes every stored version of the author's posts with an
// ALTER TABLE ... DELETE mutation and returns once the server has applied
// it: with mutations_sync where the server has it (20.8 on), and by
// watching system.mutations on every server (5 minutes at most). It
// returns how many posts were visible before.
//
// With rollups, the author's posts are taken out of post_rollup once the
// mutation is done, from the versions read before it.
func (s *Store) EraseAuthor(ctx context.Context, source, authorID string) (int64, error) {
	var deltas [][]any
	if s.d.Rollups {
		s.postsMu.Lock()
		defer s.postsMu.Unlock()
		rows, err := s.conn.Query(ctx, mustQuery(s.q, qAuthorStates), source, authorID)
		if err != nil {
			return 0, fmt.Errorf("erasing author: %w", err)
		}
		for rows.Next() {
			var st postState
			if err := rows.Scan(&st.created, &st.source, &st.watches, &st.label, &st.score); err != nil {
				rows.Close()
				return 0, fmt.Errorf("erasing author: %w", err)
			}
			deltas = append(deltas, st.rollupRow(-1))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("erasing author: %w", err)
		}
	}
	var n uint64
	if err := s.conn.QueryRow(ctx, mustQuery(s.q, qCountAuthorPosts), source, authorID).Scan(&n); err != nil {
		return 0, fmt.Errorf("erasing author: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	mctx := ctx
	if s.d.MutationsSync {
		mctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"mutations_sync": 2}))
	}
	if err := s.conn.Exec(mctx, mustQuery(s.q, qEraseAuthor), source, authorID); err != nil {
		return 0, fmt.Errorf("erasing author: %w", err)
	}
	if err := s.waitMutations(ctx, s.d.localName("posts")); err != nil {
		return 0, fmt.Errorf("erasing author: %w", err)
	}
	if s.d.TimeSorted {
		if err := s.conn.Exec(mctx, mustQuery(s.q, qEraseRanks), source, authorID); err != nil {
			return 0, fmt.Errorf("erasing author: %w", err)
		}
		if err := s.waitMutations(ctx, "post_ranks"); err != nil {
			return 0, fmt.Errorf("erasing author: %w", err)
		}
	}
	if err := s.insertRollup(ctx, deltas); err != nil {
		return 0, fmt.Errorf("erasing author: %w", err)
	}
	return int64(n), nil
}

// Posts returns the posts created in [q.From, q.To) matching q, newest
// first, ties by ID, at most q.Limit (0: 100; never more than 10,000),
// reading the winning version of each with FINAL.
func (s *Store) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	args := append(windowArgs(q.From, q.To, q.Watch, q.Source), min(limit(q.Limit), maxPosts))
	posts, err := s.queryPosts(ctx, mustQuery(s.q, qPosts), args...)
	if err != nil {
		return nil, fmt.Errorf("listing posts: %w", err)
	}
	return posts, nil
}

// LinkPosts sets the incident of the posts created in [q.From, q.To)
// matching q's filters (not its Limit) and returns how many it changed:
// posts linked to incidentID already are left alone and not counted. ""
// unlinks.
//
// It needs no mutation: it reads the winning version of each post to
// change (FINAL) and writes it again, whole, with the incident set and
// with the same row version, hash and CollectedAt. Of rows with equal
// versions the one inserted last wins, so the linked row replaces the one
// it copies, on every server; a newer version saved later still wins (and
// keeps the link, see SavePosts). The cost is reading and inserting the
// posts linked, not rewriting parts, and the link is visible when
// LinkPosts returns.
func (s *Store) LinkPosts(ctx context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	if s.d.Rollups {
		s.postsMu.Lock()
		defer s.postsMu.Unlock()
	}
	args := append(windowArgs(q.From, q.To, q.Watch, q.Source), incidentID)
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qLinkCandidates), args...)
	if err != nil {
		return 0, fmt.Errorf("linking posts to %s: %w", incidentID, err)
	}
	var (
		posts []earshot.Post
		out   [][]any
	)
	for rows.Next() {
		var hash, version uint64
		p, err := s.scanPost(rows, &hash, &version)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("linking posts to %s: %w", incidentID, err)
		}
		p.IncidentID = incidentID
		posts = append(posts, p)
		out = append(out, s.postRowWith(p, hash, version))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("linking posts to %s: %w", incidentID, err)
	}
	for start := 0; start < len(posts); start += maxBatch {
		end := min(start+maxBatch, len(posts))
		if err := s.insertPosts(ctx, posts[start:end], out[start:end]); err != nil {
			return 0, fmt.Errorf("linking posts to %s: %w", incidentID, err)
		}
	}
	return int64(len(posts)), nil
}
