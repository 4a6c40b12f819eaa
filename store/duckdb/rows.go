package duckdb

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// Row structs mirror the tables; they are what SQL reads and writes, apart
// from the domain types so that neither constrains the other.

// postColumns lists the posts table's columns as a post is read back
// (from_brand, which may be NULL, as false then); postRow's scan targets
// follow it. postTableColumns lists every column in
// table order, content_hash (only written) included: postRow's values
// follow it.
const (
	postColumns = `id, source, kind, url, author_id, author_handle, author_name, author_followers,
	text, lang, created_at, collected_at, watches, score, label, parts, incident_id, parent_id, reason,
	rating, coalesce(from_brand, false) AS from_brand, app_version`
	postTableColumns = `id, source, kind, url, author_id, author_handle, author_name, author_followers,
	text, lang, created_at, collected_at, watches, score, label, parts, incident_id, parent_id, reason,
	content_hash, rating, from_brand, app_version`
)

type postRow struct {
	ID, Source, Kind, URL              string
	AuthorID, AuthorHandle, AuthorName string
	AuthorFollowers                    int64
	Text, Lang                         string
	CreatedAt, CollectedAt             time.Time
	Watches                            stringList
	Score                              float64
	Label                              string
	Parts                              string // JSON object
	IncidentID, ParentID, Reason       string
	// ContentHash is earshot.ContentHash of the post as given to
	// SavePosts; it is written, never read back into a post.
	ContentHash uint64
	Rating      uint8
	FromBrand   bool
	AppVersion  string
}

func postRowOf(p earshot.Post) (postRow, error) {
	parts, err := partsJSON(p.Sentiment.Parts)
	if err != nil {
		return postRow{}, fmt.Errorf("encoding sentiment parts of post %s: %w", p.ID, err)
	}
	watches := make(stringList, len(p.Watches))
	for i, w := range p.Watches {
		watches[i] = validUTF8(w)
	}
	return postRow{
		ID: validUTF8(p.ID), Source: validUTF8(p.Source), Kind: validUTF8(string(p.Kind)), URL: validUTF8(p.URL),
		AuthorID: validUTF8(p.Author.ID), AuthorHandle: validUTF8(p.Author.Handle), AuthorName: validUTF8(p.Author.Name),
		AuthorFollowers: p.Author.Followers,
		Text:            validUTF8(p.Text), Lang: validUTF8(p.Lang),
		CreatedAt: p.CreatedAt.UTC(), CollectedAt: p.CollectedAt.UTC(),
		Watches: watches,
		Score:   p.Sentiment.Score, Label: validUTF8(string(p.Sentiment.Label)), Parts: parts,
		IncidentID: validUTF8(p.IncidentID), ParentID: validUTF8(p.ParentID), Reason: validUTF8(string(p.Sentiment.Reason)),
		ContentHash: earshot.ContentHash(p),
		Rating:      earshot.Stars(p.Rating), FromBrand: p.FromBrand, AppVersion: validUTF8(p.AppVersion),
	}, nil
}

// partsJSON is parts as a JSON object, "{}" when empty, exactly as
// json.Marshal writes it; the common case (plain keys, finite numbers)
// without reflection.
func partsJSON(parts map[string]float64) (string, error) {
	if len(parts) == 0 {
		return "{}", nil
	}
	var keys [8]string
	ks := keys[:0]
	for k, v := range parts {
		if !plainKey(k) || math.IsInf(v, 0) || math.IsNaN(v) {
			b, err := json.Marshal(parts)
			return string(b), err
		}
		ks = append(ks, k)
	}
	slices.Sort(ks)
	var buf [128]byte
	b := append(buf[:0], '{')
	for i, k := range ks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
		b = appendJSONFloat(b, parts[k])
	}
	return string(append(b, '}')), nil
}

// plainKey reports whether k needs no escaping in JSON: letters, digits,
// '_', '-' and '.' only.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// appendJSONFloat appends finite f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// validUTF8 replaces invalid UTF-8 with U+FFFD. The pipeline validates
// posts, but DuckDB turns an invalid VARCHAR into NULL and would fail the
// whole batch, which a spool would then replay forever.
func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// postTableWidth is the number of columns in postTableColumns.
const postTableWidth = 23

// appendValues appends the row for the appender to dst, in
// postTableColumns order.
func (r *postRow) appendValues(dst []driver.Value) []driver.Value {
	watches := []string(r.Watches)
	if watches == nil {
		watches = []string{}
	}
	return append(dst,
		r.ID, r.Source, r.Kind, r.URL, r.AuthorID, r.AuthorHandle, r.AuthorName, r.AuthorFollowers,
		r.Text, r.Lang, r.CreatedAt, r.CollectedAt, watches, r.Score, r.Label, r.Parts, r.IncidentID,
		r.ParentID, r.Reason, r.ContentHash, r.Rating, r.FromBrand, r.AppVersion,
	)
}

// dest returns scan targets in postColumns order.
func (r *postRow) dest() []any {
	return []any{
		&r.ID, &r.Source, &r.Kind, &r.URL, &r.AuthorID, &r.AuthorHandle, &r.AuthorName, &r.AuthorFollowers,
		&r.Text, &r.Lang, &r.CreatedAt, &r.CollectedAt, &r.Watches, &r.Score, &r.Label, &r.Parts, &r.IncidentID,
		&r.ParentID, &r.Reason, &r.Rating, &r.FromBrand, &r.AppVersion,
	}
}

func (r *postRow) post() (earshot.Post, error) {
	p := earshot.Post{
		ID: r.ID, Source: r.Source, Kind: earshot.Kind(r.Kind), URL: r.URL,
		Author: earshot.Author{ID: r.AuthorID, Handle: r.AuthorHandle, Name: r.AuthorName, Followers: r.AuthorFollowers},
		Text:   r.Text, Lang: r.Lang,
		CreatedAt: r.CreatedAt.UTC(), CollectedAt: r.CollectedAt.UTC(),
		Watches:    r.Watches.slice(),
		Sentiment:  earshot.Sentiment{Score: r.Score, Label: earshot.Label(r.Label), Reason: earshot.Reason(r.Reason)},
		IncidentID: r.IncidentID,
		ParentID:   r.ParentID,
		Rating:     int(r.Rating),
		FromBrand:  r.FromBrand,
		AppVersion: r.AppVersion,
	}
	if r.Parts != "" && r.Parts != "{}" {
		if err := json.Unmarshal([]byte(r.Parts), &p.Sentiment.Parts); err != nil {
			return earshot.Post{}, fmt.Errorf("decoding sentiment parts of post %s: %w", r.ID, err)
		}
	}
	return p, nil
}

const incidentColumns = `id, source, title, status, severity, services, started_at, resolved_at, url, updated_at, updates, watches, closure`

type incidentRow struct {
	ID, Source, Title, Status, Severity string
	Services                            stringList
	StartedAt                           time.Time
	ResolvedAt                          sql.NullTime
	URL                                 string
	UpdatedAt                           sql.NullTime
	Updates                             string // JSON array of earshot.IncidentUpdate
	Watches                             stringList
	Closure                             sql.NullString // JSON of earshot.Closure; NULL while not closed
}

func incidentRowOf(inc earshot.Incident) (incidentRow, error) {
	updates, err := rowcodec.Updates(inc.Updates)
	if err != nil {
		return incidentRow{}, fmt.Errorf("encoding updates of incident %s: %w", inc.ID, err)
	}
	closure, err := rowcodec.Closure(inc.Closure)
	if err != nil {
		return incidentRow{}, fmt.Errorf("encoding the closure of incident %s: %w", inc.ID, err)
	}
	return incidentRow{
		Closure: sql.NullString{String: closure, Valid: closure != ""},
		ID:      inc.ID, Source: inc.Source, Title: inc.Title, Status: string(inc.Status), Severity: inc.Severity,
		Services:  stringList(inc.Services),
		StartedAt: inc.StartedAt.UTC(), ResolvedAt: nullTime(inc.ResolvedAt),
		URL: inc.URL, UpdatedAt: nullTime(inc.UpdatedAt),
		Updates: updates, Watches: stringList(inc.Watches),
	}, nil
}

func (r *incidentRow) args() []any {
	return []any{r.ID, r.Source, r.Title, r.Status, r.Severity, r.Services.value(), r.StartedAt, arg(r.ResolvedAt), r.URL, arg(r.UpdatedAt), r.Updates, r.Watches.value(), r.Closure}
}

func (r *incidentRow) dest() []any {
	return []any{&r.ID, &r.Source, &r.Title, &r.Status, &r.Severity, &r.Services, &r.StartedAt, &r.ResolvedAt, &r.URL, &r.UpdatedAt, &r.Updates, &r.Watches, &r.Closure}
}

func (r *incidentRow) incident() (earshot.Incident, error) {
	inc := earshot.Incident{
		ID: r.ID, Source: r.Source, Title: r.Title, Status: earshot.IncidentStatus(r.Status), Severity: r.Severity,
		Services:  r.Services.slice(),
		StartedAt: r.StartedAt.UTC(), ResolvedAt: timeOf(r.ResolvedAt),
		URL: r.URL, UpdatedAt: timeOf(r.UpdatedAt), Watches: r.Watches.slice(),
	}
	updates, err := rowcodec.DecodeUpdates(r.Updates)
	if err != nil {
		return earshot.Incident{}, fmt.Errorf("decoding updates of incident %s: %w", r.ID, err)
	}
	inc.Updates = updates
	if inc.Closure, err = rowcodec.DecodeClosure(r.Closure.String); err != nil {
		return earshot.Incident{}, fmt.Errorf("decoding the closure of incident %s: %w", r.ID, err)
	}
	return inc, nil
}

const followUpColumns = `id, source, author_id, author_handle, author_name, author_followers, post_ids,
	reason, priority, state, assignee, incident_id, notes, due, created_at, updated_at,
	customer_id, customer_name, customer_tier`

type followUpRow struct {
	ID, Source                             string
	AuthorID, AuthorHandle, AuthorName     string
	AuthorFollowers                        int64
	PostIDs                                stringList
	Reason                                 string
	Priority                               int64
	State, Assignee, IncidentID            string
	Notes                                  string // JSON array of earshot.Note
	Due, CreatedAt, UpdatedAt              sql.NullTime
	CustomerID, CustomerName, CustomerTier string
}

func followUpRowOf(f earshot.FollowUp) (followUpRow, error) {
	notes, err := rowcodec.Notes(f.Notes)
	if err != nil {
		return followUpRow{}, fmt.Errorf("encoding notes of follow-up %s: %w", f.ID, err)
	}
	return followUpRow{
		ID: f.ID, Source: f.Source,
		AuthorID: f.Author.ID, AuthorHandle: f.Author.Handle, AuthorName: f.Author.Name, AuthorFollowers: f.Author.Followers,
		PostIDs: stringList(f.PostIDs), Reason: f.Reason, Priority: int64(f.Priority),
		State: string(f.State), Assignee: f.Assignee, IncidentID: f.IncidentID,
		Notes: notes,
		Due:   nullTime(f.Due), CreatedAt: nullTime(f.CreatedAt), UpdatedAt: nullTime(f.UpdatedAt),
		CustomerID: validUTF8(f.Customer.ID), CustomerName: validUTF8(f.Customer.Name), CustomerTier: validUTF8(f.Customer.Tier),
	}, nil
}

func (r *followUpRow) args() []any {
	return []any{r.ID, r.Source, r.AuthorID, r.AuthorHandle, r.AuthorName, r.AuthorFollowers, r.PostIDs.value(),
		r.Reason, r.Priority, r.State, r.Assignee, r.IncidentID, r.Notes, arg(r.Due), arg(r.CreatedAt), arg(r.UpdatedAt),
		r.CustomerID, r.CustomerName, r.CustomerTier}
}

func (r *followUpRow) dest() []any {
	return []any{&r.ID, &r.Source, &r.AuthorID, &r.AuthorHandle, &r.AuthorName, &r.AuthorFollowers, &r.PostIDs,
		&r.Reason, &r.Priority, &r.State, &r.Assignee, &r.IncidentID, &r.Notes, &r.Due, &r.CreatedAt, &r.UpdatedAt,
		&r.CustomerID, &r.CustomerName, &r.CustomerTier}
}

func (r *followUpRow) followUp() (earshot.FollowUp, error) {
	f := earshot.FollowUp{
		ID: r.ID, Source: r.Source,
		Author:  earshot.Author{ID: r.AuthorID, Handle: r.AuthorHandle, Name: r.AuthorName, Followers: r.AuthorFollowers},
		PostIDs: r.PostIDs.slice(), Reason: r.Reason, Priority: int(r.Priority),
		State: earshot.FollowUpState(r.State), Assignee: r.Assignee, IncidentID: r.IncidentID,
		Due: timeOf(r.Due), CreatedAt: timeOf(r.CreatedAt), UpdatedAt: timeOf(r.UpdatedAt),
		Customer: earshot.Customer{ID: r.CustomerID, Name: r.CustomerName, Tier: r.CustomerTier},
	}
	notes, err := rowcodec.DecodeNotes(r.Notes)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("decoding notes of follow-up %s: %w", r.ID, err)
	}
	f.Notes = notes
	return f, nil
}

const spikeColumns = `id, scope_kind, scope_value, metric, start_at, peak_at, end_at, bucket_ns,
	observed, expected, score, incident_id, link_confidence`

type spikeRow struct {
	ID, ScopeKind, ScopeValue, Metric string
	StartAt                           time.Time
	PeakAt, EndAt                     sql.NullTime
	BucketNS                          int64
	Observed, Expected, Score         float64
	IncidentID                        string
	LinkConfidence                    float64
}

func spikeRowOf(sp earshot.Spike) spikeRow {
	return spikeRow{
		ID: validUTF8(sp.ID), ScopeKind: validUTF8(string(sp.Scope.Kind)), ScopeValue: validUTF8(sp.Scope.Value),
		Metric:  validUTF8(string(sp.Metric)),
		StartAt: sp.Start.UTC(), PeakAt: nullTime(sp.Peak), EndAt: nullTime(sp.End),
		BucketNS: int64(sp.Bucket),
		Observed: sp.Observed, Expected: sp.Expected, Score: sp.Score,
		IncidentID: validUTF8(sp.IncidentID), LinkConfidence: sp.LinkConfidence,
	}
}

func (r *spikeRow) args() []any {
	return []any{r.ID, r.ScopeKind, r.ScopeValue, r.Metric, r.StartAt, arg(r.PeakAt), arg(r.EndAt), r.BucketNS,
		r.Observed, r.Expected, r.Score, r.IncidentID, r.LinkConfidence}
}

func (r *spikeRow) dest() []any {
	return []any{&r.ID, &r.ScopeKind, &r.ScopeValue, &r.Metric, &r.StartAt, &r.PeakAt, &r.EndAt, &r.BucketNS,
		&r.Observed, &r.Expected, &r.Score, &r.IncidentID, &r.LinkConfidence}
}

func (r *spikeRow) spike() (earshot.Spike, error) {
	return earshot.Spike{
		ID:     r.ID,
		Scope:  earshot.Scope{Kind: earshot.ScopeKind(r.ScopeKind), Value: r.ScopeValue},
		Metric: earshot.Metric(r.Metric),
		Start:  r.StartAt.UTC(), Peak: timeOf(r.PeakAt), End: timeOf(r.EndAt),
		Bucket:   time.Duration(r.BucketNS),
		Observed: r.Observed, Expected: r.Expected, Score: r.Score,
		IncidentID: r.IncidentID, LinkConfidence: r.LinkConfidence,
	}, nil
}

// stringList is a VARCHAR[] column.
type stringList []string

// Scan reads a LIST, which the driver hands over as []any.
func (l *stringList) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*l = nil
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("scanning list: element %d is %T, not a string", i, e)
			}
			out[i] = s
		}
		*l = out
	default:
		return fmt.Errorf("scanning list: got %T", src)
	}
	return nil
}

// value is the list as a query argument: never nil, as columns are NOT NULL.
func (l stringList) value() []string {
	if l == nil {
		return []string{}
	}
	return l
}

// slice is the list as the domain holds it: nil when empty.
func (l stringList) slice() []string {
	if len(l) == 0 {
		return nil
	}
	return []string(l)
}

// nullTime stores Go's zero time as NULL.
func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// arg is a nullable time as a query argument.
func arg(t sql.NullTime) any {
	if !t.Valid {
		return nil
	}
	return t.Time
}

func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

const healthColumns = `collector, kind, last_run, last_success, last_error, last_error_at, failures,
	backoff_ns, posts_last_hour, updated_at`

type healthRow struct {
	Collector, Kind                    string
	LastRun, LastSuccess               sql.NullTime
	LastError                          string
	LastErrorAt                        sql.NullTime
	Failures, BackoffNS, PostsLastHour int64
	UpdatedAt                          sql.NullTime
}

func healthRowOf(h earshot.SourceHealth) healthRow {
	return healthRow{
		Collector: validUTF8(h.Collector), Kind: validUTF8(h.Kind),
		LastRun: nullTime(h.LastRun), LastSuccess: nullTime(h.LastSuccess),
		LastError: validUTF8(h.LastError), LastErrorAt: nullTime(h.LastErrorAt),
		Failures: int64(h.Failures), BackoffNS: int64(h.Backoff), PostsLastHour: h.PostsLastHour,
		UpdatedAt: nullTime(h.UpdatedAt),
	}
}

func (r *healthRow) args() []any {
	return []any{r.Collector, r.Kind, arg(r.LastRun), arg(r.LastSuccess), r.LastError, arg(r.LastErrorAt),
		r.Failures, r.BackoffNS, r.PostsLastHour, arg(r.UpdatedAt)}
}

func (r *healthRow) dest() []any {
	return []any{&r.Collector, &r.Kind, &r.LastRun, &r.LastSuccess, &r.LastError, &r.LastErrorAt,
		&r.Failures, &r.BackoffNS, &r.PostsLastHour, &r.UpdatedAt}
}

func (r *healthRow) health() (earshot.SourceHealth, error) {
	return earshot.SourceHealth{
		Collector: r.Collector, Kind: r.Kind,
		LastRun: timeOf(r.LastRun), LastSuccess: timeOf(r.LastSuccess),
		LastError: r.LastError, LastErrorAt: timeOf(r.LastErrorAt),
		Failures: int(r.Failures), Backoff: time.Duration(r.BackoffNS), PostsLastHour: r.PostsLastHour,
		UpdatedAt: timeOf(r.UpdatedAt),
	}, nil
}

const gapColumns = `id, collector, from_at, to_at, reason, filled_at`

type gapRow struct {
	ID, Collector string
	FromAt        time.Time
	ToAt          sql.NullTime
	Reason        string
	FilledAt      sql.NullTime
}

func gapRowOf(g earshot.Gap) gapRow {
	return gapRow{
		ID: validUTF8(g.ID), Collector: validUTF8(g.Collector),
		FromAt: g.From.UTC(), ToAt: nullTime(g.To),
		Reason: validUTF8(g.Reason), FilledAt: nullTime(g.FilledAt),
	}
}

func (r *gapRow) args() []any {
	return []any{r.ID, r.Collector, r.FromAt, arg(r.ToAt), r.Reason, arg(r.FilledAt)}
}

func (r *gapRow) dest() []any {
	return []any{&r.ID, &r.Collector, &r.FromAt, &r.ToAt, &r.Reason, &r.FilledAt}
}

func (r *gapRow) gap() (earshot.Gap, error) {
	return earshot.Gap{
		ID: r.ID, Collector: r.Collector,
		From: r.FromAt.UTC(), To: timeOf(r.ToAt),
		Reason: r.Reason, FilledAt: timeOf(r.FilledAt),
	}, nil
}
