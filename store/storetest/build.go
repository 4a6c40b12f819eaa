package storetest

import (
	"maps"
	"slices"
	"time"

	"github.com/earshot/earshot"
)

// Base is the fixed instant the suite's data sets are built around:
// 2026-03-02T10:00:00Z, a Monday.
var Base = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// PostBuilder builds a Post step by step. Its methods return a changed
// copy, so one builder can be the start of several posts:
//
//	angry := storetest.NewPost("twitter", "1", storetest.Base).Watches("acme").Score(-0.8)
//	p := angry.Text("down again").Post()
type PostBuilder struct{ p earshot.Post }

// NewPost starts a post from source with the source's own ID nativeID,
// created at created. It is a plain "post" in English by author "u1", with
// some text, collected one minute after it was created, matching no watch
// and not scored.
func NewPost(source, nativeID string, created time.Time) PostBuilder {
	return PostBuilder{p: earshot.Post{
		ID:          earshot.PostID(source, nativeID),
		Source:      source,
		Kind:        earshot.KindPost,
		Author:      earshot.Author{ID: "u1", Handle: "user1", Name: "User One", Followers: 10},
		Text:        "post " + nativeID + " from " + source,
		Lang:        "en",
		CreatedAt:   created.UTC(),
		CollectedAt: created.UTC().Add(time.Minute),
	}}
}

// Kind sets the kind of post.
func (b PostBuilder) Kind(k earshot.Kind) PostBuilder { b.p.Kind = k; return b }

// URL sets the post's URL.
func (b PostBuilder) URL(u string) PostBuilder { b.p.URL = u; return b }

// Author sets the author's ID, with handle and name derived from it, and
// follower count.
func (b PostBuilder) Author(id string, followers int64) PostBuilder {
	b.p.Author = earshot.Author{ID: id, Handle: "h_" + id, Name: "Name " + id, Followers: followers}
	return b
}

// AuthorFull sets every field of the author.
func (b PostBuilder) AuthorFull(a earshot.Author) PostBuilder { b.p.Author = a; return b }

// Text sets the text.
func (b PostBuilder) Text(s string) PostBuilder { b.p.Text = s; return b }

// Lang sets the language tag.
func (b PostBuilder) Lang(l string) PostBuilder { b.p.Lang = l; return b }

// Created sets the creation time and keeps collection one minute later.
func (b PostBuilder) Created(t time.Time) PostBuilder {
	b.p.CreatedAt = t.UTC()
	b.p.CollectedAt = t.UTC().Add(time.Minute)
	return b
}

// Collected sets the collection time, which orders versions of a post.
func (b PostBuilder) Collected(t time.Time) PostBuilder { b.p.CollectedAt = t.UTC(); return b }

// Watches sets the watches the post matched.
func (b PostBuilder) Watches(w ...string) PostBuilder { b.p.Watches = slices.Clone(w); return b }

// Score scores the post, labelling it negative at or below -0.25, positive
// at or above 0.25 and neutral in between.
func (b PostBuilder) Score(s float64) PostBuilder {
	label := earshot.Neutral
	switch {
	case s <= -0.25:
		label = earshot.Negative
	case s >= 0.25:
		label = earshot.Positive
	}
	return b.Sentiment(s, label)
}

// Sentiment sets score and label as given, keeping any parts and reason.
func (b PostBuilder) Sentiment(score float64, label earshot.Label) PostBuilder {
	b.p.Sentiment.Score = score
	b.p.Sentiment.Label = label
	return b
}

// Parts sets the per-model scores.
func (b PostBuilder) Parts(parts map[string]float64) PostBuilder {
	b.p.Sentiment.Parts = maps.Clone(parts)
	return b
}

// Reason sets why the post is negative.
func (b PostBuilder) Reason(r earshot.Reason) PostBuilder { b.p.Sentiment.Reason = r; return b }

// Unscored clears the sentiment: a post the scorers could not rate.
func (b PostBuilder) Unscored() PostBuilder { b.p.Sentiment = earshot.Sentiment{}; return b }

// Incident links the post to an incident.
func (b PostBuilder) Incident(id string) PostBuilder { b.p.IncidentID = id; return b }

// Parent makes the post a reply to, or quote of, the post with ID id.
func (b PostBuilder) Parent(id string) PostBuilder { b.p.ParentID = id; return b }

// Rating sets the stars of a review, 1 to 5; 0 for none.
func (b PostBuilder) Rating(stars int) PostBuilder { b.p.Rating = stars; return b }

// AppVersion sets the version of the app a store review is about.
func (b PostBuilder) AppVersion(v string) PostBuilder { b.p.AppVersion = v; return b }

// FromBrand marks the post as written by the brand's own account, or not.
func (b PostBuilder) FromBrand(brand bool) PostBuilder { b.p.FromBrand = brand; return b }

// Post returns the post built so far; it shares nothing with the builder.
func (b PostBuilder) Post() earshot.Post {
	p := b.p
	p.Watches = slices.Clone(p.Watches)
	p.Sentiment.Parts = maps.Clone(p.Sentiment.Parts)
	return p
}
