package clickhouse

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
func (s *Store) SavePosts(ctx context.Context, posts []earshot.Post) error {
	if len(posts) == 0 {
		return nil
	}
	for chunk := range slices.Chunk(earshot.LatestVersions(posts), maxBatch) {
		links, err := s.storedLinks(ctx, chunk)
		if err != nil {
			return fmt.Errorf("saving posts: %w", err)
		}
		rows := make([][]any, len(chunk))
		for i, p := range chunk {
			hash := earshot.ContentHash(p)
			p = earshot.KeepLink(p, earshot.Post{IncidentID: links[p.ID]})
			rows[i] = s.postRowWith(p, hash, collectedVersion(p))
		}
		if err := s.insertPosts(ctx, chunk, rows); err != nil {
			return fmt.Errorf("saving posts: %w", err)
		}
	}
	return nil
}

// storedLinks returns the incident of the stored version of each post of
// posts that has none of its own, where the stored version has one.
func (s *Store) storedLinks(ctx context.Context, posts []earshot.Post) (map[string]string, error) {
	var ids []any
	for _, p := range posts {
		if p.IncidentID == "" {
			ids = append(ids, p.ID)
		}
	}
	links := map[string]string{}
	if len(ids) == 0 {
		return links, nil
	}
	query := mustQuery(s.q, qPostLinks)
	rows, err := s.conn.Query(idSetContext(ctx, query, ids), query, clickhouse.GroupSet{Value: ids})
	if err != nil {
		return nil, fmt.Errorf("reading links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, incident string
		if err := rows.Scan(&id, &incident); err != nil {
			return nil, fmt.Errorf("reading links: %w", err)
		}
		links[id] = incident
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading links: %w", err)
	}
	return links, nil
}

// idSetContext lets the server parse a query whose text holds ids (bound
// as a tuple) whole: it raises max_query_size when they need it.
func idSetContext(ctx context.Context, query string, ids []any) context.Context {
	size := len(query)
	for _, id := range ids {
		if s, ok := id.(string); ok {
			size += 2*len(s) + 4 // quoted, escaped at worst, and a separator
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
func (s *Store) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	if q.Bucket <= 0 {
		return nil, fmt.Errorf("reading series: bucket width %v is not positive", q.Bucket)
	}
	var name string
	switch q.GroupBy {
	case earshot.GroupNone:
		name = qSeries
	case earshot.GroupSource:
		name = qSeriesBySource
	case earshot.GroupWatch:
		name = qSeriesByWatch
	default:
		return nil, fmt.Errorf("reading series: unknown grouping %q", q.GroupBy)
	}
	width := int64(q.Bucket)
	args := append([]any{width, width}, windowArgs(q.From, q.To, q.Watch, q.Source)...)
	rows, err := s.conn.Query(ctx, mustQuery(s.q, name), args...)
	if err != nil {
		return nil, fmt.Errorf("reading series: %w", err)
	}
	defer rows.Close()
	var out []earshot.Bucket
	for rows.Next() {
		var (
			start                             int64
			key                               string
			count, scored, negative, positive uint64
			scoreSum                          float64
		)
		if err := rows.Scan(&start, &key, &count, &scored, &negative, &positive, &scoreSum); err != nil {
			return nil, fmt.Errorf("reading series: %w", err)
		}
		b := earshot.Bucket{
			Start: time.Unix(0, start).UTC(), Key: key, Count: int64(count),
			Scored: int64(scored), Negative: int64(negative), Positive: int64(positive),
		}
		if scored > 0 {
			b.MeanSentiment = scoreSum / float64(scored)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading series: %w", err)
	}
	return out, nil
}

func limit(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return n
}

// TopNegative returns the most negative scored posts in the window.
func (s *Store) TopNegative(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	args := append(windowArgs(q.From, q.To, q.Watch, q.Source), limit(q.Limit))
	posts, err := s.queryPosts(ctx, mustQuery(s.q, qTopNegative), args...)
	if err != nil {
		return nil, fmt.Errorf("reading top negative posts: %w", err)
	}
	return posts, nil
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
func (s *Store) EraseAuthor(ctx context.Context, source, authorID string) (int64, error) {
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
