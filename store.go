package earshot

import (
	"context"
	"time"
)

// PostStore keeps posts and answers the questions dashboards and detectors
// ask of them.
type PostStore interface {
	// SavePosts stores posts. It is idempotent: a post whose ID is already
	// stored is replaced when the new version's CollectedAt is later or
	// equal, and kept otherwise, so replays never duplicate and the latest
	// version wins; within one call, of two versions with the same
	// CollectedAt the later in the slice wins. A winning version with an
	// empty IncidentID keeps the stored version's incident link. It returns nil only once the
	// store has accepted the posts as written (for ClickHouse: once the
	// server acknowledges the insert).
	SavePosts(ctx context.Context, posts []Post) error
	// Post returns the stored version of one post, or ErrNotFound.
	Post(ctx context.Context, id string) (Post, error)
	// CountPosts counts the posts created in [q.From, q.To) that match
	// q's filters.
	CountPosts(ctx context.Context, q PostQuery) (int64, error)
	// Series buckets the posts created in [q.From, q.To) by creation time,
	// one Bucket per (bucket start, group key) that has posts, ordered by
	// start then key.
	Series(ctx context.Context, q SeriesQuery) ([]Bucket, error)
	// TopNegative returns the scored posts created in [q.From, q.To)
	// matching q's filters, most negative first (ties: newest first), at
	// most q.Limit of them.
	TopNegative(ctx context.Context, q PostQuery) ([]Post, error)
	// Authors returns per-author aggregates over the posts created in
	// [q.From, q.To) matching q's filters, ordered by posts descending then
	// source and author ID, at most q.Limit of them.
	Authors(ctx context.Context, q PostQuery) ([]AuthorStats, error)
	// EraseAuthor removes every post of one author on one source (a data
	// subject's request) and returns how many posts it removed. It returns
	// only once they are gone from every query.
	EraseAuthor(ctx context.Context, source, authorID string) (int64, error)
}

// PostQuery selects posts.
type PostQuery struct {
	From, To time.Time
	// Watch and Source, when not empty, keep only matching posts.
	Watch  string
	Source string
	// Limit caps the rows returned; 0 means a default of 100.
	Limit int
}

// GroupBy says how a series is split.
type GroupBy string

// Series groupings.
const (
	GroupNone   GroupBy = ""
	GroupWatch  GroupBy = "watch"
	GroupSource GroupBy = "source"
)

// SeriesQuery asks for a time-bucketed series.
type SeriesQuery struct {
	From, To time.Time
	// Bucket is the bucket width: time.Minute, time.Hour or 24*time.Hour.
	// Buckets start at multiples of the width since the Unix epoch, UTC.
	Bucket time.Duration
	// GroupBy splits the series by watch (a post counts once for each
	// watch it matched; posts with no watch fall in no group) or by source.
	// Filters pick posts first: with Watch set and GroupWatch, each picked
	// post still counts under every watch it matched.
	GroupBy GroupBy
	// Watch and Source, when not empty, keep only matching posts.
	Watch  string
	Source string
}

// Bucket is one point of a series.
type Bucket struct {
	Start time.Time `json:"start"`
	// Key is the watch or source name when the series is grouped.
	Key   string `json:"key,omitempty"`
	Count int64  `json:"count"`
	// Scored, Negative and Positive count posts with a sentiment label.
	Scored   int64 `json:"scored"`
	Negative int64 `json:"negative"`
	Positive int64 `json:"positive"`
	// MeanSentiment is the mean score of the scored posts (0 when none).
	MeanSentiment float64 `json:"mean_sentiment"`
}

// AuthorStats aggregates one author's posts.
type AuthorStats struct {
	Source string `json:"source"`
	// Author's handle and name are those of the author's most recent post
	// in the window; read the reach from Reach, not Author.Followers.
	Author Author `json:"author"`
	Posts  int64  `json:"posts"`
	// Negative counts posts labelled negative.
	Negative int64 `json:"negative"`
	// MeanSentiment is the mean score of the author's scored posts.
	MeanSentiment float64 `json:"mean_sentiment"`
	// Reach is the largest follower count seen on the author's posts.
	Reach   int64     `json:"reach"`
	FirstAt time.Time `json:"first_at"`
	LastAt  time.Time `json:"last_at"`
}

// IncidentStore keeps incidents.
type IncidentStore interface {
	// SaveIncident creates or replaces the incident with inc.ID.
	SaveIncident(ctx context.Context, inc Incident) error
	// Incident returns one incident, or ErrNotFound.
	Incident(ctx context.Context, id string) (Incident, error)
	// Incidents returns the incidents open at any time in [from, to),
	// ordered by StartedAt.
	Incidents(ctx context.Context, from, to time.Time) ([]Incident, error)
	// ActiveIncidents returns the incidents open at t, ordered by StartedAt.
	ActiveIncidents(ctx context.Context, t time.Time) ([]Incident, error)
}

// FollowUpStore keeps support's follow-up queue.
type FollowUpStore interface {
	// SaveFollowUp creates or replaces the follow-up with f.ID.
	SaveFollowUp(ctx context.Context, f FollowUp) error
	// FollowUp returns one follow-up, or ErrNotFound.
	FollowUp(ctx context.Context, id string) (FollowUp, error)
	// FollowUps returns the follow-ups in any of states (all when none is
	// given), by priority then CreatedAt.
	FollowUps(ctx context.Context, states ...FollowUpState) ([]FollowUp, error)
	// MoveFollowUp applies t to the follow-up with id (see FollowUp.Apply)
	// and stores the result. It returns ErrNotFound or an error wrapping
	// ErrInvalidTransition, changing nothing, when the move is not allowed.
	// Two moves of one follow-up at the same moment are not serialized by
	// every backend: the later write wins.
	MoveFollowUp(ctx context.Context, id string, t Transition) (FollowUp, error)
}

// SpikeStore keeps the spikes detectors found.
type SpikeStore interface {
	// SaveSpike creates or replaces the spike with s.ID (a spike grows while
	// it lasts, and is linked to an incident later).
	SaveSpike(ctx context.Context, s Spike) error
	// Spikes returns the spikes overlapping [from, to), ordered by Start
	// then ID.
	Spikes(ctx context.Context, from, to time.Time) ([]Spike, error)
}

// CursorStore keeps each collector's position, so that a restart resumes
// without gaps or duplicates.
type CursorStore interface {
	// Cursor returns the collector's saved cursor, "" if none.
	Cursor(ctx context.Context, collector string) (string, error)
	// SetCursor saves the collector's cursor.
	SetCursor(ctx context.Context, collector, cursor string) error
}

// UserStore keeps the local users, their API tokens and their browser
// sessions. Secrets are never stored: tokens and sessions are kept by a
// keyed hash of their secret, passwords as a bcrypt hash.
type UserStore interface {
	// SaveAccount creates or replaces the account with a.Name.
	SaveAccount(ctx context.Context, a Account) error
	// Account returns one account, or ErrNotFound.
	Account(ctx context.Context, name string) (Account, error)
	// Accounts returns every account, by name.
	Accounts(ctx context.Context) ([]Account, error)
	// SaveToken creates or replaces the token with t.Hash (revoking is
	// saving it with RevokedAt set).
	SaveToken(ctx context.Context, t APIToken) error
	// Token returns the token with hash, revoked or not, or ErrNotFound.
	Token(ctx context.Context, hash string) (APIToken, error)
	// Tokens returns a user's tokens, revoked ones too, oldest first (ties
	// by name).
	Tokens(ctx context.Context, user string) ([]APIToken, error)
	// SaveSession creates or replaces the session with s.Hash (signing out
	// is saving it with RevokedAt set).
	SaveSession(ctx context.Context, s Session) error
	// Session returns the session with hash, expired or revoked or not, or
	// ErrNotFound.
	Session(ctx context.Context, hash string) (Session, error)
}

// Erasure is the audit line of one author's erasure: who asked, when,
// which author, and how much was removed. It keeps none of the erased
// content (no handle, name or text).
type Erasure struct {
	ID       string    `json:"id"`
	Source   string    `json:"source"`
	AuthorID string    `json:"author_id"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
	// Posts, FollowUps and Alerts count the posts removed, the follow-ups
	// removed, and the stored alerts whose sample posts were cut.
	Posts     int64 `json:"posts"`
	FollowUps int64 `json:"follow_ups"`
	Alerts    int64 `json:"alerts"`
}

// AuthorEraser erases everything kept about one author (a data subject's
// request).
type AuthorEraser interface {
	// EraseAuthorData removes every post of e.Source/e.AuthorID, every
	// follow-up of that author, and their posts among the sample posts of
	// stored alerts (Alert.Why.Posts; the alert itself stays), then
	// records e with the counts filled in as an audit line and returns
	// it. It returns only once the data is gone from every query. Erasing
	// an author with nothing stored records a line with zero counts.
	EraseAuthorData(ctx context.Context, e Erasure) (Erasure, error)
	// Erasures returns the audit lines, oldest first (ties by ID).
	Erasures(ctx context.Context) ([]Erasure, error)
}

// Store is everything Earshot keeps. store/duckdb and store/clickhouse
// implement it, and store/memstore in memory; store/storetest checks that
// they agree.
type Store interface {
	PostStore
	PostLister
	PostLinker
	PostHashStore
	IncidentStore
	FollowUpStore
	SpikeStore
	CursorStore
	HealthStore
	AlertStore
	EpisodeStore
	ThreadStore
	SilenceStore
	DigestStore
	UserStore
	PublicationStore
	CustomerStore
	AuthorEraser
	Expirer
	Pinger
	// Close releases the store's resources.
	Close() error
}
