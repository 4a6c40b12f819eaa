package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// alertRow is a as the alerts table's insert columns, with a new version.
func (s *Store) alertRow(a earshot.Alert) ([]any, error) {
	labels, why, err := rowcodec.Alert(a)
	if err != nil {
		return nil, err
	}
	return []any{
		a.ID, string(a.Kind), a.SpikeID, a.Watch, string(a.Metric), a.Severity, labels,
		a.IncidentID, a.Confidence, a.Summary, why,
		s.timeArg(a.StartsAt), s.timeArg(a.EndsAt), s.timeArg(a.At), s.nextVersion(),
	}, nil
}

func scanAlert(rows driver.Rows) (earshot.Alert, error) {
	var (
		a                         earshot.Alert
		kind, metric, labels, why string
		starts, ends, raised      int64
	)
	if err := rows.Scan(&a.ID, &kind, &a.SpikeID, &a.Watch, &metric, &a.Severity, &labels,
		&a.IncidentID, &a.Confidence, &a.Summary, &why, &starts, &ends, &raised); err != nil {
		return earshot.Alert{}, err
	}
	a.Kind, a.Metric = earshot.AlertKind(kind), earshot.Metric(metric)
	a.StartsAt, a.EndsAt, a.At = fromNS(starts), fromNS(ends), fromNS(raised)
	if err := rowcodec.DecodeAlert(&a, labels, why); err != nil {
		return earshot.Alert{}, err
	}
	return a, nil
}

// SaveAlert creates or replaces the alert with a.ID: each save writes a
// row with a newer version.
func (s *Store) SaveAlert(ctx context.Context, a earshot.Alert) error {
	row, err := s.alertRow(a)
	if err != nil {
		return fmt.Errorf("saving alert %s: %w", a.ID, err)
	}
	if err := s.insertRow(ctx, qInsertAlert, row); err != nil {
		return fmt.Errorf("saving alert %s: %w", a.ID, err)
	}
	return nil
}

// Alerts returns the alerts raised in [from, to), by At then ID.
func (s *Store) Alerts(ctx context.Context, from, to time.Time) ([]earshot.Alert, error) {
	out, err := queryAll(ctx, s.conn, scanAlert, mustQuery(s.q, qAlerts), toNS(from), toNS(to))
	if err != nil {
		return nil, fmt.Errorf("reading alerts: %w", err)
	}
	return out, nil
}

// deliveryRow is d as the deliveries table's insert columns, with a new
// version.
func (s *Store) deliveryRow(d earshot.Delivery) []any {
	ids := d.AlertIDs
	if ids == nil {
		ids = []string{}
	}
	var ok uint8
	if d.OK {
		ok = 1
	}
	return []any{d.ID, d.Receiver, d.GroupKey, ids, int64(d.Attempt), s.timeArg(d.At), ok, d.Error, s.nextVersion()}
}

// SaveDelivery records a delivery attempt, replacing the one with d.ID.
func (s *Store) SaveDelivery(ctx context.Context, d earshot.Delivery) error {
	if err := s.insertRow(ctx, qInsertDelivery, s.deliveryRow(d)); err != nil {
		return fmt.Errorf("saving delivery %s: %w", d.ID, err)
	}
	return nil
}

// Deliveries returns the attempts made in [from, to), by At then ID.
func (s *Store) Deliveries(ctx context.Context, from, to time.Time) ([]earshot.Delivery, error) {
	out, err := queryAll(ctx, s.conn, scanDelivery, mustQuery(s.q, qDeliveries), toNS(from), toNS(to))
	if err != nil {
		return nil, fmt.Errorf("reading deliveries: %w", err)
	}
	return out, nil
}

func scanDelivery(rows driver.Rows) (earshot.Delivery, error) {
	var (
		d       earshot.Delivery
		attempt int64
		at      int64
		ok      uint8
	)
	if err := rows.Scan(&d.ID, &d.Receiver, &d.GroupKey, &d.AlertIDs, &attempt, &at, &ok, &d.Error); err != nil {
		return earshot.Delivery{}, err
	}
	d.Attempt, d.At, d.OK = int(attempt), fromNS(at), ok != 0
	if len(d.AlertIDs) == 0 {
		d.AlertIDs = nil
	}
	return d, nil
}

// insertRow sends one row with the insert statement name.
func (s *Store) insertRow(ctx context.Context, name string, row []any) error {
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, name))
	if err != nil {
		return err
	}
	if err := b.Append(row...); err != nil {
		_ = b.Abort()
		return err
	}
	return b.Send()
}
