package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// SaveIncident creates or replaces the incident with inc.ID: each save
// writes a row with a newer version. A nil Closure keeps the stored
// incident's closure (read first: incidents are saved rarely).
func (s *Store) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	body, err := rowcodec.Updates(inc.Updates)
	if err != nil {
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
	}
	if inc.Closure == nil {
		old, err := s.Incident(ctx, inc.ID)
		switch {
		case err == nil:
			inc.Closure = old.Closure
		case !errors.Is(err, earshot.ErrNotFound):
			return fmt.Errorf("saving incident %s: %w", inc.ID, err)
		}
	}
	closure, err := rowcodec.Closure(inc.Closure)
	if err != nil {
		return fmt.Errorf("saving incident %s: encoding its closure: %w", inc.ID, err)
	}
	services := inc.Services
	if services == nil {
		services = []string{}
	}
	watches := inc.Watches
	if watches == nil {
		watches = []string{}
	}
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertIncident))
	if err != nil {
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
	}
	if err := b.Append(inc.ID, inc.Source, inc.Title, string(inc.Status), inc.Severity, services,
		s.timeArg(inc.StartedAt), s.timeArg(inc.ResolvedAt), inc.URL, s.timeArg(inc.UpdatedAt),
		body, watches, closure, s.nextVersion()); err != nil {
		_ = b.Abort()
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
	}
	return nil
}

func scanIncident(rows driver.Rows) (earshot.Incident, error) {
	var (
		inc                        earshot.Incident
		status, updates, closure   string
		started, resolved, updated int64
	)
	if err := rows.Scan(&inc.ID, &inc.Source, &inc.Title, &status, &inc.Severity, &inc.Services,
		&started, &resolved, &inc.URL, &updated, &updates, &inc.Watches, &closure); err != nil {
		return earshot.Incident{}, err
	}
	inc.Status = earshot.IncidentStatus(status)
	inc.StartedAt, inc.ResolvedAt, inc.UpdatedAt = fromNS(started), fromNS(resolved), fromNS(updated)
	if len(inc.Services) == 0 {
		inc.Services = nil
	}
	if len(inc.Watches) == 0 {
		inc.Watches = nil
	}
	var err error
	if inc.Updates, err = rowcodec.DecodeUpdates(updates); err != nil {
		return earshot.Incident{}, fmt.Errorf("incident %s: decoding updates: %w", inc.ID, err)
	}
	if inc.Closure, err = rowcodec.DecodeClosure(closure); err != nil {
		return earshot.Incident{}, fmt.Errorf("incident %s: decoding closure: %w", inc.ID, err)
	}
	return inc, nil
}

func (s *Store) queryIncidents(ctx context.Context, query string, args ...any) ([]earshot.Incident, error) {
	return queryAll(ctx, s.conn, scanIncident, query, args...)
}

// Incident returns one incident, or earshot.ErrNotFound.
func (s *Store) Incident(ctx context.Context, id string) (earshot.Incident, error) {
	incs, err := s.queryIncidents(ctx, mustQuery(s.q, qIncident), id)
	return first(incs, err, "reading incident "+id, "reading incident "+id)
}

// Incidents returns the incidents open at any time in [from, to).
func (s *Store) Incidents(ctx context.Context, from, to time.Time) ([]earshot.Incident, error) {
	incs, err := s.queryIncidents(ctx, mustQuery(s.q, qIncidents), toNS(to), toNS(from))
	if err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	return incs, nil
}

// ActiveIncidents returns the incidents open at t.
func (s *Store) ActiveIncidents(ctx context.Context, t time.Time) ([]earshot.Incident, error) {
	incs, err := s.queryIncidents(ctx, mustQuery(s.q, qActiveIncidents), toNS(t), toNS(t))
	if err != nil {
		return nil, fmt.Errorf("reading active incidents: %w", err)
	}
	return incs, nil
}
