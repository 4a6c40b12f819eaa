package earshot

import (
	"strings"
	"time"
)

// Kind says what sort of text a Post is.
type Kind string

// Kinds of post.
const (
	KindPost    Kind = "post"
	KindReply   Kind = "reply"
	KindComment Kind = "comment"
	KindArticle Kind = "article"
	KindReview  Kind = "review"
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindPost, KindReply, KindComment, KindArticle, KindReview:
		return true
	}
	return false
}

// Label is a sentiment class. The empty label means "not scored" (for
// example a language the local models do not support).
type Label string

// Sentiment labels.
const (
	Negative Label = "negative"
	Neutral  Label = "neutral"
	Positive Label = "positive"
)

// Sentiment is a post's score and label.
type Sentiment struct {
	// Score is in [-1, 1]: -1 is as negative as it gets.
	Score float64 `json:"score"`
	// Label is the class the score falls in; empty when not scored.
	Label Label `json:"label,omitempty"`
	// Parts holds each model's own score, by model name, for explanation.
	Parts map[string]float64 `json:"parts,omitempty"`
	// Reason says why a negative post is negative; empty otherwise.
	Reason Reason `json:"reason,omitempty"`
}

// Reason is the category of a complaint, so comms can see why people are
// angry.
type Reason string

// Reasons for negative posts.
const (
	ReasonOutage      Reason = "availability"
	ReasonPerformance Reason = "performance"
	ReasonLogin       Reason = "login"
	ReasonBilling     Reason = "billing"
	ReasonSupport     Reason = "support"
	ReasonSecurity    Reason = "security"
	ReasonOther       Reason = "other"
)

// Scored reports whether the sentiment was computed.
func (s Sentiment) Scored() bool { return s.Label != "" }

// Author is who wrote a post, as the source knows them.
type Author struct {
	// ID is the source's stable identifier for the author.
	ID string `json:"id"`
	// Handle is the public handle, without a leading "@".
	Handle string `json:"handle,omitempty"`
	// Name is the display name.
	Name string `json:"name,omitempty"`
	// Followers is the author's reach on the source when collected.
	Followers int64 `json:"followers,omitempty"`
}

// Post is one piece of public text about a watched brand: a social post,
// a reply, a comment on one of the brand's channels, an article, a review.
type Post struct {
	// ID is stable and source-scoped, "source:native_id" (see PostID). It
	// is the dedupe key: a post collected twice is stored once.
	ID string `json:"id"`
	// Source names where the post was collected: "twitter", "rss", ...
	Source string `json:"source"`
	Kind   Kind   `json:"kind"`
	URL    string `json:"url,omitempty"`
	Author Author `json:"author"`
	// Text is the post's text. Collectors hand it over as the source has it
	// (markup included); the pipeline normalizes it to plain text, which is
	// what the store keeps.
	Text string `json:"text"`
	// Lang is a BCP 47 language tag when known.
	Lang string `json:"lang,omitempty"`
	// CreatedAt is when the author published the post.
	CreatedAt time.Time `json:"created_at"`
	// CollectedAt is when Earshot collected this version of the post; of
	// two versions of one post the later collected wins.
	CollectedAt time.Time `json:"collected_at"`
	// Watches are the names of the watches the post matched.
	Watches   []string  `json:"watches,omitempty"`
	Sentiment Sentiment `json:"sentiment"`
	// IncidentID is the incident the post was linked to, if any.
	IncidentID string `json:"incident_id,omitempty"`
	// ParentID is the ID (as in Post.ID) of the post this one replies to
	// or quotes, so a thread can be shown whole; empty for a top-level post.
	ParentID string `json:"parent_id,omitempty"`
	// Rating is the star rating of a review, 1 to 5; 0 when the source has
	// none. A 1- or 2-star review is negative whatever its words.
	Rating int `json:"rating,omitempty"`
	// AppVersion is the version of the app a store review is about, so a
	// bad release shows in the reviews of that version.
	AppVersion string `json:"app_version,omitempty"`
	// FromBrand marks posts by the brand's own accounts (a reply from
	// support under a customer's comment): shown in threads, never flagged
	// as a customer.
	FromBrand bool `json:"from_brand,omitempty"`
}

// PostID builds the stable ID of a post from its source and the source's
// own identifier for it.
func PostID(source, nativeID string) string {
	return source + ":" + nativeID
}

// NativeID returns the part of a post ID after the source prefix.
func NativeID(id string) string {
	if _, rest, ok := strings.Cut(id, ":"); ok {
		return rest
	}
	return id
}
