package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// SaveEpisode creates or replaces the episode with e.ID: each save writes
// a row with a newer version.
func (s *Store) SaveEpisode(ctx context.Context, e earshot.Episode) error {
	e, body, err := rowcodec.Episode(e)
	if err != nil {
		return err
	}
	row := []any{e.ID, e.Watch, s.timeArg(e.OpenedAt), s.timeArg(e.UpdatedAt), body, s.nextVersion()}
	if err := s.insertRow(ctx, qInsertEpisode, row); err != nil {
		return fmt.Errorf("saving episode %s: %w", e.ID, err)
	}
	return nil
}

// Episodes returns the episodes with a message in [from, to), by OpenedAt
// then ID.
func (s *Store) Episodes(ctx context.Context, from, to time.Time) ([]earshot.Episode, error) {
	var out []earshot.Episode
	err := s.bodies(ctx, qEpisodes, func(body string) error {
		e, err := rowcodec.DecodeEpisode(body)
		if err != nil {
			return err
		}
		out = append(out, e)
		return nil
	}, toNS(to), toNS(from))
	if err != nil {
		return nil, fmt.Errorf("reading episodes: %w", err)
	}
	return out, nil
}

// SaveThread sets the reference of episode's conversation on receiver.
func (s *Store) SaveThread(ctx context.Context, episode, receiver, ref string) error {
	if err := s.insertRow(ctx, qInsertThread, []any{episode, receiver, ref, s.nextVersion()}); err != nil {
		return fmt.Errorf("saving the thread of episode %s: %w", episode, err)
	}
	return nil
}

// Thread returns the reference saved for episode and receiver, "" when
// none was.
func (s *Store) Thread(ctx context.Context, episode, receiver string) (string, error) {
	var ref string
	err := s.bodies(ctx, qThread, func(r string) error { ref = r; return nil }, episode, receiver)
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
	row := []any{sl.ID, s.timeArg(sl.StartsAt), s.timeArg(sl.EndsAt), body, s.nextVersion()}
	if err := s.insertRow(ctx, qInsertSilence, row); err != nil {
		return fmt.Errorf("saving silence %s: %w", sl.ID, err)
	}
	return nil
}

// Silences returns the silences ending after since, by StartsAt then ID.
func (s *Store) Silences(ctx context.Context, since time.Time) ([]earshot.Silence, error) {
	var out []earshot.Silence
	err := s.bodies(ctx, qSilences, func(body string) error {
		sl, err := rowcodec.DecodeSilence(body)
		if err != nil {
			return err
		}
		out = append(out, sl)
		return nil
	}, toNS(since))
	if err != nil {
		return nil, fmt.Errorf("reading silences: %w", err)
	}
	return out, nil
}

// bodies runs the query name, whose rows are one string, and hands each
// to f.
func (s *Store) bodies(ctx context.Context, name string, f func(string) error, args ...any) error {
	rows, err := s.conn.Query(ctx, mustQuery(s.q, name), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return err
		}
		if err := f(body); err != nil {
			return err
		}
	}
	return rows.Err()
}
