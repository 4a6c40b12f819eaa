package earshot

import "time"

// EventType says what an Event reports.
type EventType string

// Event types. Posts are reported in aggregate (counts per watch and
// minute), never one event per post.
const (
	EventPosts       EventType = "posts"
	EventSpike       EventType = "spike"
	EventAlert       EventType = "alert"
	EventEpisode     EventType = "episode"
	EventIncident    EventType = "incident"
	EventFollowUp    EventType = "followup"
	EventPublication EventType = "publication"
)

// Event is something that changed, for the pages that show it live. Data
// is what changed (a Spike, an Alert, an Incident, a FollowUp, a
// Publication, or PostCounts), encoded as JSON for the browser.
type Event struct {
	// ID numbers events in the order the hub took them, from 1; the
	// publisher leaves it zero.
	ID   uint64    `json:"id"`
	Type EventType `json:"type"`
	At   time.Time `json:"at"`
	// IncidentID is the incident the event concerns, when one does, so
	// a page about one incident can pick its own.
	IncidentID string `json:"incident_id,omitempty"`
	Data       any    `json:"data,omitempty"`
}

// PostCount is how many posts of one watch created in one minute were
// stored since the previous count (a post is counted once per watch).
type PostCount struct {
	Watch    string    `json:"watch"`
	Minute   time.Time `json:"minute"`
	Posts    int64     `json:"posts"`
	Negative int64     `json:"negative"`
}

// Publisher takes events for the pages that show them live. Publish never
// blocks on a slow reader and never fails: an event nobody can take now
// is dropped for that reader, who is told to reload.
type Publisher interface {
	Publish(e Event)
}
