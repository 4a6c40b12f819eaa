package clickhouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

// SaveDigest creates or replaces the sent digest with d.ID: each save
// writes a row with a newer version.
func (s *Store) SaveDigest(ctx context.Context, d earshot.SentDigest) error {
	if err := s.insertRow(ctx, qInsertDigest, s.digestRow(d)); err != nil {
		return fmt.Errorf("saving digest %s: %w", d.ID, err)
	}
	return nil
}

// digestRow is d as the digests table's insert columns, with a new version.
func (s *Store) digestRow(d earshot.SentDigest) []any {
	rs := d.Recipients
	if rs == nil {
		rs = []string{}
	}
	var ok uint8
	if d.OK {
		ok = 1
	}
	return []any{d.ID, d.Name, s.timeArg(d.From), s.timeArg(d.To), s.timeArg(d.SentAt), d.Format, d.Subject,
		d.HTML, d.Markdown, rs, ok, d.Error, s.nextVersion()}
}

// SentDigest returns the sent digest with id, or ErrNotFound.
func (s *Store) SentDigest(ctx context.Context, id string) (earshot.SentDigest, error) {
	ds, err := s.queryDigests(ctx, qDigest, id)
	return first(ds, err, "reading digest "+id, "reading digest "+id)
}

// SentDigests returns the sent digests, newest first, at most limit.
func (s *Store) SentDigests(ctx context.Context, limit int) ([]earshot.SentDigest, error) {
	if limit <= 0 {
		limit = 100
	}
	ds, err := s.queryDigests(ctx, qDigests, uint64(limit))
	if err != nil {
		return nil, fmt.Errorf("reading digests: %w", err)
	}
	return ds, nil
}

func (s *Store) queryDigests(ctx context.Context, name string, args ...any) ([]earshot.SentDigest, error) {
	return queryAll(ctx, s.conn, scanDigest, mustQuery(s.q, name), args...)
}

func scanDigest(rows driver.Rows) (earshot.SentDigest, error) {
	var (
		d                earshot.SentDigest
		from, to, sentAt int64
		ok               uint8
	)
	if err := rows.Scan(&d.ID, &d.Name, &from, &to, &sentAt, &d.Format, &d.Subject, &d.HTML, &d.Markdown,
		&d.Recipients, &ok, &d.Error); err != nil {
		return earshot.SentDigest{}, err
	}
	d.From, d.To, d.SentAt, d.OK = fromNS(from), fromNS(to), fromNS(sentAt), ok != 0
	if len(d.Recipients) == 0 {
		d.Recipients = nil
	}
	return d, nil
}
