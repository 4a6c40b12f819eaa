package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/earshot/earshot"
)

// defaultLimit is what a query Limit of 0 means.
const defaultLimit = 100

// maxPosts caps the posts Posts returns, whatever the query's Limit.
const maxPosts = 10_000

// upsertPosts merges the appended rows into posts. The query appender
// hands them over as appended_data(col1, col2, ...), in postTableColumns
// order.
var upsertPosts = func() string {
	cols := strings.Fields(strings.ReplaceAll(postTableColumns, ",", " "))
	var set []string
	for _, c := range cols[1:] {
		if c == "incident_id" {
			// A link outlives re-collection: a version without an
			// incident keeps the stored one's.
			set = append(set, "incident_id = CASE WHEN excluded.incident_id = '' THEN posts.incident_id ELSE excluded.incident_id END")
			continue
		}
		set = append(set, c+" = excluded."+c)
	}
	return `INSERT INTO posts SELECT * FROM appended_data
		ON CONFLICT (id) DO UPDATE SET ` + strings.Join(set, ", ") + `
		WHERE excluded.collected_at >= posts.collected_at`
}()

// SavePosts stores posts, replacing a stored version when the new one was
// collected at the same time or later. Versions of one post within posts
// are settled first (the latest collected, the later of equals). A
// winning version without an IncidentID keeps the stored version's link;
// content_hash stays the hash of the version as given. A rating outside 1
// to 5 is stored as 0, none. It returns once the batch is committed.
//
// Within one transaction, the posts not stored yet are appended as they
// are (fast: no merge), and only the others go through the merge
// statement. Which are stored is looked up first, unless the last lookup
// found none, when the whole batch is appended on the guess that it is
// new again (a fresh import, replay). Should a plain append meet a stored
// ID after all, the transaction is rolled back and the batch saved the
// careful way: looked up and split, or at worst all merged.
func (s *Store) SavePosts(ctx context.Context, posts []earshot.Post) error {
	posts = earshot.LatestVersions(posts)
	if len(posts) == 0 {
		return nil
	}
	rows := make([]postRow, len(posts))
	for i, p := range posts {
		r, err := postRowOf(p)
		if err != nil {
			return fmt.Errorf("saving posts: %w", err)
		}
		rows[i] = r
	}

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("saving posts: %w", err)
	}
	defer conn.Close()
	err = errFastPath
	if s.allNew {
		_, err = savePostRows(ctx, conn, rows, saveAppend)
		s.allNew = err == nil
	}
	if errors.Is(err, errFastPath) {
		var found int
		found, err = savePostRows(ctx, conn, rows, saveSplit)
		s.allNew = err == nil && found == 0
	}
	if errors.Is(err, errFastPath) {
		_, err = savePostRows(ctx, conn, rows, saveMerge)
	}
	if err != nil {
		return fmt.Errorf("saving posts: %w", err)
	}
	return nil
}

// errFastPath wraps a failure of a plain append, after which SavePosts
// tries a more careful way.
var errFastPath = errors.New("appending new posts")

// How savePostRows writes rows.
const (
	saveAppend = iota // append all plainly
	saveSplit         // look up which are stored: append the others, merge those
	saveMerge         // merge all
)

// savePostRows writes rows in one transaction, the way mode says, and
// returns how many of them a split found stored.
func savePostRows(ctx context.Context, conn *sql.Conn, rows []postRow, mode int) (found int, err error) {
	if _, err := conn.ExecContext(ctx, `BEGIN TRANSACTION`); err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	var fresh, merge []postRow
	switch mode {
	case saveAppend:
		fresh = rows
	case saveMerge:
		merge = rows
	default:
		stored, err := lookupStored(ctx, conn, rows)
		if err != nil {
			return 0, err
		}
		found = len(stored)
		fresh, merge = splitStored(rows, stored)
	}
	// post_rollup follows in the same transaction: what the stored
	// versions of the merged posts counted goes, what the fresh posts and
	// the merged posts' versions stored after the merge count comes.
	delta := rollupDelta{}
	if len(merge) > 0 {
		if err := addStored(ctx, conn, delta, merge, -1); err != nil {
			return found, err
		}
	}
	err = conn.Raw(func(dc any) error {
		if len(fresh) > 0 {
			a, err := duckdb.NewAppender(dc.(driver.Conn), "", "main", "posts")
			if err != nil {
				return fmt.Errorf("%w: %w", errFastPath, err)
			}
			if err := appendPostRows(ctx, a, fresh); err != nil {
				return fmt.Errorf("%w: %w", errFastPath, err)
			}
		}
		if len(merge) > 0 {
			a, err := duckdb.NewTableAppender(dc.(driver.Conn), upsertPosts, "", "main", "posts", nil)
			if err != nil {
				return err
			}
			return appendPostRows(ctx, a, merge)
		}
		return nil
	})
	if err != nil {
		return found, err
	}
	for i := range fresh {
		delta.add(&fresh[i], 1)
	}
	if len(merge) > 0 {
		if err := addStored(ctx, conn, delta, merge, 1); err != nil {
			return found, err
		}
	}
	if err := applyRollup(ctx, conn, delta); err != nil {
		return found, err
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return found, err
	}
	return found, nil
}

// appendPostRows appends rows to a and closes it, which writes them.
func appendPostRows(ctx context.Context, a *duckdb.Appender, rows []postRow) error {
	vals := make([]driver.Value, 0, postTableWidth)
	for i := range rows {
		vals = rows[i].appendValues(vals[:0])
		if err := a.AppendRow(vals...); err != nil {
			// Discard what is buffered rather than write it on Close; the
			// transaction's rollback takes back what was written.
			a.Clear()
			a.Close()
			return fmt.Errorf("post %s: %w", rows[i].ID, err)
		}
	}
	return a.CloseWithCancel(ctx)
}

// lookupStored is storedIDs; tests replace it to exercise the fallbacks.
var lookupStored = storedIDs

// storedIDs returns which of the rows' IDs are stored, in one query.
func storedIDs(ctx context.Context, conn *sql.Conn, rows []postRow) (map[string]struct{}, error) {
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	res, err := conn.QueryContext(ctx, `SELECT id FROM posts WHERE id IN (SELECT unnest(?::VARCHAR[]))`, ids)
	if err != nil {
		return nil, fmt.Errorf("looking up stored posts: %w", err)
	}
	defer res.Close()
	stored := map[string]struct{}{}
	for res.Next() {
		var id string
		if err := res.Scan(&id); err != nil {
			return nil, fmt.Errorf("looking up stored posts: %w", err)
		}
		stored[id] = struct{}{}
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("looking up stored posts: %w", err)
	}
	return stored, nil
}

// splitStored splits rows into those whose IDs are not in stored and the
// others, each in order.
func splitStored(rows []postRow, stored map[string]struct{}) (fresh, merge []postRow) {
	if len(stored) == 0 {
		return rows, nil
	}
	if len(stored) == len(rows) {
		return nil, rows
	}
	fresh = make([]postRow, 0, len(rows)-len(stored))
	merge = make([]postRow, 0, len(stored))
	for _, r := range rows {
		if _, ok := stored[r.ID]; ok {
			merge = append(merge, r)
		} else {
			fresh = append(fresh, r)
		}
	}
	return fresh, merge
}

// Post returns the stored version of the post with id, or ErrNotFound.
func (s *Store) Post(ctx context.Context, id string) (earshot.Post, error) {
	var r postRow
	err := s.db.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts WHERE id = ?`, id).Scan(r.dest()...)
	if err != nil {
		return earshot.Post{}, fmt.Errorf("reading post %s: %w", id, notFound(err))
	}
	p, err := r.post()
	if err != nil {
		return earshot.Post{}, fmt.Errorf("reading post %s: %w", id, err)
	}
	return p, nil
}

// where builds the WHERE clause shared by the post queries: the window
// and the filters.
func where(from, to time.Time, watch, source string) (string, []any) {
	conds := []string{"created_at >= ?", "created_at < ?"}
	args := []any{from.UTC(), to.UTC()}
	if watch != "" {
		conds = append(conds, "list_contains(watches, ?)")
		args = append(args, watch)
	}
	if source != "" {
		conds = append(conds, "source = ?")
		args = append(args, source)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func limit(q earshot.PostQuery) int {
	if q.Limit <= 0 {
		return defaultLimit
	}
	return q.Limit
}

// CountPosts counts the posts created in [q.From, q.To) matching q.
func (s *Store) CountPosts(ctx context.Context, q earshot.PostQuery) (int64, error) {
	w, args := where(q.From, q.To, q.Watch, q.Source)
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM posts`+w, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting posts: %w", err)
	}
	return n, nil
}

// Series buckets the posts created in [q.From, q.To) by creation time, in
// buckets starting at whole multiples of q.Bucket since the epoch.
//
// A width that is a multiple of a minute reads post_rollup for the whole
// minutes of the window and the posts only for the part of a minute at
// either end; grouped by watch with a watch filter (a post's other
// watches are groups too, which the rollup does not know) it reads the
// posts.
func (s *Store) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	width := q.Bucket.Microseconds()
	if width <= 0 || q.Bucket%time.Microsecond != 0 {
		return nil, fmt.Errorf("querying series: bucket width %s is not a positive whole number of microseconds", q.Bucket)
	}
	var key string
	switch q.GroupBy {
	case earshot.GroupNone:
		key = "''"
	case earshot.GroupSource:
		key = "source"
	case earshot.GroupWatch:
		key = "unnest(watches)"
	default:
		return nil, fmt.Errorf("querying series: unknown grouping %q", q.GroupBy)
	}
	if lo, hi, ok := rollupSpan(q); ok {
		query, args := rollupSeries(q, lo, hi)
		return s.series(ctx, query, args)
	}
	w, args := where(q.From, q.To, q.Watch, q.Source)
	// The inner query picks the posts and, grouping by watch, repeats each
	// once per watch; the outer one buckets: floor(us / width) * width.
	query := `
		SELECT us - ((us % $width) + $width) % $width AS start_us, key,
			count(*),
			count(*) FILTER (WHERE label <> ''),
			count(*) FILTER (WHERE label = 'negative'),
			count(*) FILTER (WHERE label = 'positive'),
			coalesce(avg(score) FILTER (WHERE label <> ''), 0)
		FROM (SELECT epoch_us(created_at) AS us, ` + key + ` AS key, label, score FROM posts` + w + `)
		GROUP BY start_us, key
		ORDER BY start_us, key`
	query = strings.ReplaceAll(query, "$width", fmt.Sprint(width))
	return s.series(ctx, query, args)
}

// series runs a series query whose rows are start_us, key, count, scored,
// negative, positive and mean.
func (s *Store) series(ctx context.Context, query string, args []any) ([]earshot.Bucket, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("querying series: %w", err)
	}
	defer rows.Close()
	var out []earshot.Bucket
	for rows.Next() {
		var b earshot.Bucket
		var startUS int64
		if err := rows.Scan(&startUS, &b.Key, &b.Count, &b.Scored, &b.Negative, &b.Positive, &b.MeanSentiment); err != nil {
			return nil, fmt.Errorf("querying series: %w", err)
		}
		b.Start = time.UnixMicro(startUS).UTC()
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("querying series: %w", err)
	}
	return out, nil
}

// TopNegative returns the scored posts in the window matching q, most
// negative first, newest first among equals.
//
// Ranking with every column reads every column of every post in the window,
// and ranking by the ID's text is most of the cost (1.8 s at 10M posts;
// docs/performance.md). So it ranks in three steps, in one snapshot: the
// k-th lowest score, from the score column alone; the IDs of the posts at
// or under it, ranked in full (ties included); then those posts' rows, by
// their primary key.
func (s *Store) TopNegative(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	fail := func(err error) ([]earshot.Post, error) {
		return nil, fmt.Errorf("querying top negative posts: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback() //nolint:errcheck // it only reads: nothing to undo
	k := limit(q)
	w, args := where(q.From, q.To, q.Watch, q.Source)
	w += ` AND label <> ''`
	var cut float64
	err = tx.QueryRowContext(ctx, `SELECT score FROM posts`+w+`
		ORDER BY score LIMIT 1 OFFSET ?`, append(args, k-1)...).Scan(&cut)
	switch {
	case errors.Is(err, sql.ErrNoRows): // fewer than k posts: all of them
	case err != nil:
		return fail(err)
	default:
		w += ` AND score <= ?`
		args = append(args, cut)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM posts`+w+`
		ORDER BY score, created_at DESC, id LIMIT ?`, append(args, k)...)
	if err != nil {
		return fail(err)
	}
	ids, err := scanAll(rows, (*bodyRow).value)
	if err != nil {
		return fail(err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	in := make([]any, len(ids))
	for i, id := range ids {
		in[i] = id
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+postColumns+` FROM posts WHERE id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) ORDER BY score, created_at DESC, id`, in...)
	if err != nil {
		return fail(err)
	}
	out, err := scanAll(rows, (*postRow).post)
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// Authors aggregates the window's posts matching q by source and author.
// The handle and name are those of the author's latest post.
func (s *Store) Authors(ctx context.Context, q earshot.PostQuery) ([]earshot.AuthorStats, error) {
	w, args := where(q.From, q.To, q.Watch, q.Source)
	rows, err := s.db.QueryContext(ctx, `
		SELECT source, author_id,
			arg_max(author_handle, created_at), arg_max(author_name, created_at),
			count(*) AS n,
			count(*) FILTER (WHERE label = 'negative'),
			coalesce(avg(score) FILTER (WHERE label <> ''), 0),
			max(author_followers), min(created_at), max(created_at)
		FROM posts`+w+`
		GROUP BY source, author_id
		ORDER BY n DESC, source, author_id
		LIMIT ?`, append(args, limit(q))...)
	if err != nil {
		return nil, fmt.Errorf("querying authors: %w", err)
	}
	defer rows.Close()
	var out []earshot.AuthorStats
	for rows.Next() {
		var a earshot.AuthorStats
		if err := rows.Scan(&a.Source, &a.Author.ID, &a.Author.Handle, &a.Author.Name, &a.Posts, &a.Negative,
			&a.MeanSentiment, &a.Reach, &a.FirstAt, &a.LastAt); err != nil {
			return nil, fmt.Errorf("querying authors: %w", err)
		}
		a.FirstAt, a.LastAt = a.FirstAt.UTC(), a.LastAt.UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("querying authors: %w", err)
	}
	return out, nil
}

// EraseAuthor deletes every post of authorID on source and returns how
// many it deleted, once the deletion is committed.
func (s *Store) EraseAuthor(ctx context.Context, source, authorID string) (int64, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	fail := func(err error) (int64, error) {
		return 0, fmt.Errorf("erasing author %s on %s: %w", authorID, source, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	if err := takeAuthorFromRollup(ctx, tx, source, authorID); err != nil {
		return fail(err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM posts WHERE source = ? AND author_id = ?`, source, authorID)
	if err != nil {
		return fail(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return n, nil
}

// Posts returns the posts created in [q.From, q.To) matching q, newest
// first, ties by ID, at most q.Limit (0: 100; never more than 10,000).
func (s *Store) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	w, args := where(q.From, q.To, q.Watch, q.Source)
	rows, err := s.db.QueryContext(ctx, `SELECT `+postColumns+` FROM posts`+w+`
		ORDER BY created_at DESC, id LIMIT ?`, append(args, min(limit(q), maxPosts))...)
	if err != nil {
		return nil, fmt.Errorf("listing posts: %w", err)
	}
	out, err := scanAll(rows, (*postRow).post)
	if err != nil {
		return nil, fmt.Errorf("listing posts: %w", err)
	}
	return out, nil
}

// LinkPosts sets incident_id on the posts created in [q.From, q.To)
// matching q's filters (not its Limit), and returns how many it changed:
// posts linked to incidentID already are left alone and not counted.
// Nothing else changes, content_hash included. "" unlinks.
func (s *Store) LinkPosts(ctx context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	incidentID = validUTF8(incidentID)
	w, args := where(q.From, q.To, q.Watch, q.Source)
	args = append(append([]any{incidentID}, args...), incidentID)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	res, err := s.db.ExecContext(ctx, `UPDATE posts SET incident_id = ?`+w+` AND incident_id <> ?`, args...)
	if err != nil {
		return 0, fmt.Errorf("linking posts to %s: %w", incidentID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("linking posts to %s: %w", incidentID, err)
	}
	return n, nil
}
