package appstore

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// feed is Apple's customer-review feed in JSON: an Atom feed turned into
// objects, every value under "label".
type feed struct {
	Feed *struct {
		Entry entries `json:"entry"`
	} `json:"feed"`
}

// label is {"label": "..."}.
type label struct {
	Label string `json:"label"`
}

// entry is one review.
type entry struct {
	ID      label `json:"id"`
	Updated label `json:"updated"`
	Title   label `json:"title"`
	Content label `json:"content"`
	Rating  label `json:"im:rating"`
	Version label `json:"im:version"`
	Author  struct {
		Name label `json:"name"`
		URI  label `json:"uri"`
	} `json:"author"`
}

// entries is "entry": an array, or a lone object when the page holds one
// review.
type entries []entry

func (e *entries) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var one entry
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*e = entries{one}
		return nil
	}
	return json.Unmarshal(b, (*[]entry)(e))
}

// updated returns when the review was written or last edited.
func (e entry) updated() (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, e.Updated.Label)
	return t.UTC(), err == nil
}

// rating returns the stars, 0 when the entry is not a review (older feeds
// start with the app itself).
func (e entry) rating() int {
	n, err := strconv.Atoi(e.Rating.Label)
	if err != nil || n < 1 || n > 5 {
		return 0
	}
	return n
}

var reviewerPattern = regexp.MustCompile(`/id(\d+)$`)

// post turns e into a review of app in country.
func (e entry) post(app, country string, updated, now time.Time) earshot.Post {
	text := strings.TrimSpace(e.Title.Label)
	if body := strings.TrimSpace(e.Content.Label); body != "" {
		if text != "" {
			text += "\n\n"
		}
		text += body
	}
	author := earshot.Author{ID: e.Author.Name.Label, Name: e.Author.Name.Label}
	if m := reviewerPattern.FindStringSubmatch(e.Author.URI.Label); m != nil {
		author.ID = m[1]
	}
	return earshot.Post{
		ID:          earshot.PostID(Kind, e.ID.Label),
		Source:      Kind,
		Kind:        earshot.KindReview,
		URL:         "https://apps.apple.com/" + country + "/app/id" + app + "?see-all=reviews",
		Author:      author,
		Text:        text,
		CreatedAt:   updated,
		CollectedAt: now,
		Rating:      e.rating(),
		AppVersion:  e.Version.Label,
	}
}
