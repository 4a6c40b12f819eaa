package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// SaveEpisode creates or replaces the episode with e.ID.
func (s *Store) SaveEpisode(ctx context.Context, e earshot.Episode) error {
	e, body, err := rowcodec.Episode(e)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO episodes (id, watch, opened_at, updated_at, body)
		VALUES (?, ?, ?, ?, ?)`, validUTF8(e.ID), validUTF8(e.Watch), e.OpenedAt, e.UpdatedAt, validUTF8(body)); err != nil {
		return fmt.Errorf("saving episode %s: %w", e.ID, err)
	}
	return nil
}

// Episodes returns the episodes with a message in [from, to), by OpenedAt
// then ID.
func (s *Store) Episodes(ctx context.Context, from, to time.Time) ([]earshot.Episode, error) {
	bodies, err := queryAll(ctx, s.db, (*bodyRow).value, `SELECT body FROM episodes
		WHERE opened_at < ? AND updated_at >= ?
		ORDER BY opened_at, id`, to.UTC(), from.UTC())
	if err != nil {
		return nil, fmt.Errorf("reading episodes: %w", err)
	}
	return rowcodec.DecodeAll(bodies, rowcodec.DecodeEpisode)
}

// SaveThread sets the reference of episode's conversation on receiver.
func (s *Store) SaveThread(ctx context.Context, episode, receiver, ref string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO episode_threads (episode_id, receiver, ref)
		VALUES (?, ?, ?)`, validUTF8(episode), validUTF8(receiver), validUTF8(ref)); err != nil {
		return fmt.Errorf("saving the thread of episode %s: %w", episode, err)
	}
	return nil
}

// Thread returns the reference saved for episode and receiver, "" when
// none was.
func (s *Store) Thread(ctx context.Context, episode, receiver string) (string, error) {
	var ref string
	err := s.db.QueryRowContext(ctx, `SELECT ref FROM episode_threads WHERE episode_id = ? AND receiver = ?`,
		episode, receiver).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading the thread of episode %s: %w", episode, err)
	}
	return ref, nil
}

// SaveSilence creates or replaces the silence with sl.ID.
func (s *Store) SaveSilence(ctx context.Context, sl earshot.Silence) error {
	sl, body, err := rowcodec.Silence(sl)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO silences (id, starts_at, ends_at, body)
		VALUES (?, ?, ?, ?)`, validUTF8(sl.ID), sl.StartsAt, sl.EndsAt, validUTF8(body)); err != nil {
		return fmt.Errorf("saving silence %s: %w", sl.ID, err)
	}
	return nil
}

// Silences returns the silences ending after since, by StartsAt then ID.
func (s *Store) Silences(ctx context.Context, since time.Time) ([]earshot.Silence, error) {
	bodies, err := queryAll(ctx, s.db, (*bodyRow).value, `SELECT body FROM silences WHERE ends_at > ? ORDER BY starts_at, id`, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("reading silences: %w", err)
	}
	return rowcodec.DecodeAll(bodies, rowcodec.DecodeSilence)
}
