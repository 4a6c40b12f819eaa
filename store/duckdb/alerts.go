package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

const alertColumns = `id, kind, spike_id, watch, metric, severity, labels, incident_id, confidence,
	summary, why, starts_at, ends_at, raised_at`

type alertRow struct {
	ID, Kind, SpikeID, Watch, Metric, Severity string
	Labels                                     string // JSON object
	IncidentID                                 string
	Confidence                                 float64
	Summary                                    string
	Why                                        string // JSON of earshot.Why
	StartsAt, EndsAt, RaisedAt                 sql.NullTime
}

func alertRowOf(a earshot.Alert) (alertRow, error) {
	labels, why, err := rowcodec.Alert(a)
	if err != nil {
		return alertRow{}, err
	}
	return alertRow{
		ID: validUTF8(a.ID), Kind: validUTF8(string(a.Kind)), SpikeID: validUTF8(a.SpikeID), Watch: validUTF8(a.Watch),
		Metric: validUTF8(string(a.Metric)), Severity: validUTF8(a.Severity), Labels: labels,
		IncidentID: validUTF8(a.IncidentID), Confidence: a.Confidence, Summary: validUTF8(a.Summary), Why: why,
		StartsAt: nullTime(a.StartsAt), EndsAt: nullTime(a.EndsAt), RaisedAt: nullTime(a.At),
	}, nil
}

func (r *alertRow) args() []any {
	return []any{r.ID, r.Kind, r.SpikeID, r.Watch, r.Metric, r.Severity, r.Labels, r.IncidentID, r.Confidence,
		r.Summary, r.Why, arg(r.StartsAt), arg(r.EndsAt), arg(r.RaisedAt)}
}

func (r *alertRow) dest() []any {
	return []any{&r.ID, &r.Kind, &r.SpikeID, &r.Watch, &r.Metric, &r.Severity, &r.Labels, &r.IncidentID, &r.Confidence,
		&r.Summary, &r.Why, &r.StartsAt, &r.EndsAt, &r.RaisedAt}
}

func (r *alertRow) alert() (earshot.Alert, error) {
	a := earshot.Alert{
		ID: r.ID, Kind: earshot.AlertKind(r.Kind), SpikeID: r.SpikeID, Watch: r.Watch,
		Metric: earshot.Metric(r.Metric), Severity: r.Severity,
		IncidentID: r.IncidentID, Confidence: r.Confidence, Summary: r.Summary,
		StartsAt: timeOf(r.StartsAt), EndsAt: timeOf(r.EndsAt), At: timeOf(r.RaisedAt),
	}
	if err := rowcodec.DecodeAlert(&a, r.Labels, r.Why); err != nil {
		return earshot.Alert{}, err
	}
	return a, nil
}

// SaveAlert creates or replaces the alert with a.ID.
func (s *Store) SaveAlert(ctx context.Context, a earshot.Alert) error {
	r, err := alertRowOf(a)
	if err != nil {
		return fmt.Errorf("saving alert: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO alerts (`+alertColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.args()...); err != nil {
		return fmt.Errorf("saving alert %s: %w", a.ID, err)
	}
	return nil
}

// Alerts returns the alerts raised in [from, to), by At then ID.
func (s *Store) Alerts(ctx context.Context, from, to time.Time) ([]earshot.Alert, error) {
	out, err := queryAll(ctx, s.db, (*alertRow).alert, `SELECT `+alertColumns+` FROM alerts
		WHERE raised_at >= ? AND raised_at < ?
		ORDER BY raised_at, id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("reading alerts: %w", err)
	}
	return out, nil
}

const deliveryColumns = `id, receiver, group_key, alert_ids, attempt, attempted_at, ok, error`

type deliveryRow struct {
	ID, Receiver, GroupKey string
	AlertIDs               stringList
	Attempt                int64
	AttemptedAt            sql.NullTime
	OK                     bool
	Error                  string
}

func deliveryRowOf(d earshot.Delivery) deliveryRow {
	ids := make(stringList, len(d.AlertIDs))
	for i, id := range d.AlertIDs {
		ids[i] = validUTF8(id)
	}
	return deliveryRow{
		ID: validUTF8(d.ID), Receiver: validUTF8(d.Receiver), GroupKey: validUTF8(d.GroupKey),
		AlertIDs: ids, Attempt: int64(d.Attempt), AttemptedAt: nullTime(d.At), OK: d.OK, Error: validUTF8(d.Error),
	}
}

func (r *deliveryRow) args() []any {
	return []any{r.ID, r.Receiver, r.GroupKey, r.AlertIDs.value(), r.Attempt, arg(r.AttemptedAt), r.OK, r.Error}
}

func (r *deliveryRow) dest() []any {
	return []any{&r.ID, &r.Receiver, &r.GroupKey, &r.AlertIDs, &r.Attempt, &r.AttemptedAt, &r.OK, &r.Error}
}

func (r *deliveryRow) delivery() (earshot.Delivery, error) {
	return earshot.Delivery{
		ID: r.ID, Receiver: r.Receiver, GroupKey: r.GroupKey, AlertIDs: r.AlertIDs.slice(),
		Attempt: int(r.Attempt), At: timeOf(r.AttemptedAt), OK: r.OK, Error: r.Error,
	}, nil
}

// SaveDelivery records a delivery attempt, replacing the one with d.ID.
func (s *Store) SaveDelivery(ctx context.Context, d earshot.Delivery) error {
	r := deliveryRowOf(d)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO deliveries (`+deliveryColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.args()...); err != nil {
		return fmt.Errorf("saving delivery %s: %w", d.ID, err)
	}
	return nil
}

// Deliveries returns the attempts made in [from, to), by At then ID.
func (s *Store) Deliveries(ctx context.Context, from, to time.Time) ([]earshot.Delivery, error) {
	out, err := queryAll(ctx, s.db, (*deliveryRow).delivery, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE attempted_at >= ? AND attempted_at < ?
		ORDER BY attempted_at, id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("reading deliveries: %w", err)
	}
	return out, nil
}
