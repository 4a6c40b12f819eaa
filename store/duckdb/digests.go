package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/earshot/earshot"
)

const digestColumns = `id, name, from_at, to_at, sent_at, format, subject, html, markdown, recipients, ok, error`

type digestRow struct {
	ID, Name                        string
	FromAt, ToAt, SentAt            sql.NullTime
	Format, Subject, HTML, Markdown string
	Recipients                      stringList
	OK                              bool
	Error                           string
}

func digestRowOf(d earshot.SentDigest) digestRow {
	rs := make(stringList, len(d.Recipients))
	for i, r := range d.Recipients {
		rs[i] = validUTF8(r)
	}
	return digestRow{
		ID: validUTF8(d.ID), Name: validUTF8(d.Name),
		FromAt: nullTime(d.From), ToAt: nullTime(d.To), SentAt: nullTime(d.SentAt),
		Format: validUTF8(d.Format), Subject: validUTF8(d.Subject), HTML: validUTF8(d.HTML), Markdown: validUTF8(d.Markdown),
		Recipients: rs, OK: d.OK, Error: validUTF8(d.Error),
	}
}

func (r *digestRow) args() []any {
	return []any{r.ID, r.Name, arg(r.FromAt), arg(r.ToAt), arg(r.SentAt), r.Format, r.Subject, r.HTML, r.Markdown, r.Recipients.value(), r.OK, r.Error}
}

func (r *digestRow) dest() []any {
	return []any{&r.ID, &r.Name, &r.FromAt, &r.ToAt, &r.SentAt, &r.Format, &r.Subject, &r.HTML, &r.Markdown, &r.Recipients, &r.OK, &r.Error}
}

func (r *digestRow) digest() (earshot.SentDigest, error) {
	return earshot.SentDigest{
		ID: r.ID, Name: r.Name, From: timeOf(r.FromAt), To: timeOf(r.ToAt), SentAt: timeOf(r.SentAt),
		Format: r.Format, Subject: r.Subject, HTML: r.HTML, Markdown: r.Markdown,
		Recipients: r.Recipients.slice(), OK: r.OK, Error: r.Error,
	}, nil
}

// SaveDigest creates or replaces the sent digest with d.ID.
func (s *Store) SaveDigest(ctx context.Context, d earshot.SentDigest) error {
	r := digestRowOf(d)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO digests (`+digestColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.args()...); err != nil {
		return fmt.Errorf("saving digest %s: %w", d.ID, err)
	}
	return nil
}

// SentDigest returns the sent digest with id, or ErrNotFound.
func (s *Store) SentDigest(ctx context.Context, id string) (earshot.SentDigest, error) {
	return queryOne(ctx, s.db, (*digestRow).digest, "reading digest "+id, "digest "+id,
		`SELECT `+digestColumns+` FROM digests WHERE id = ?`, id)
}

// SentDigests returns the sent digests, newest first, at most limit.
func (s *Store) SentDigests(ctx context.Context, limit int) ([]earshot.SentDigest, error) {
	if limit <= 0 {
		limit = 100
	}
	out, err := queryAll(ctx, s.db, (*digestRow).digest, `SELECT `+digestColumns+` FROM digests
		ORDER BY sent_at DESC NULLS LAST, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("reading digests: %w", err)
	}
	return out, nil
}
