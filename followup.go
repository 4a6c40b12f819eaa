package earshot

import (
	"fmt"
	"time"
)

// FollowUpState is where a follow-up stands in support's queue.
type FollowUpState string

// Follow-up states. A follow-up goes open → assigned → contacted → resolved,
// and may be dismissed from any state that is not final.
const (
	FollowUpOpen      FollowUpState = "open"
	FollowUpAssigned  FollowUpState = "assigned"
	FollowUpContacted FollowUpState = "contacted"
	FollowUpResolved  FollowUpState = "resolved"
	FollowUpDismissed FollowUpState = "dismissed"
)

// Valid reports whether s is a known state.
func (s FollowUpState) Valid() bool {
	switch s {
	case FollowUpOpen, FollowUpAssigned, FollowUpContacted, FollowUpResolved, FollowUpDismissed:
		return true
	}
	return false
}

// Final reports whether no move leads out of s.
func (s FollowUpState) Final() bool { return s == FollowUpResolved || s == FollowUpDismissed }

// CanMoveTo reports whether a follow-up in state s may move to state to.
// Moves go forward only (a contacted customer can be reassigned, but not
// reopened); resolved and dismissed are final.
func (s FollowUpState) CanMoveTo(to FollowUpState) bool {
	if !to.Valid() || s.Final() || s == to {
		return false
	}
	switch to {
	case FollowUpDismissed:
		return true
	case FollowUpAssigned:
		return s == FollowUpOpen || s == FollowUpContacted
	case FollowUpContacted:
		return s == FollowUpOpen || s == FollowUpAssigned
	case FollowUpResolved:
		return s == FollowUpAssigned || s == FollowUpContacted
	}
	return false
}

// FollowUp is a dissatisfied customer for support to reach.
type FollowUp struct {
	ID string `json:"id"`
	// Source and Author say who to reach, and where.
	Source string `json:"source"`
	Author Author `json:"author"`
	// Customer is who the author is to the business, when the author's
	// handle is an imported customer account; zero otherwise.
	Customer Customer `json:"customer,omitzero"`
	// PostIDs are the posts that flagged the customer.
	PostIDs []string `json:"post_ids"`
	// Reason says why, in words support can act on.
	Reason string `json:"reason"`
	// Priority: 1 is the most urgent.
	Priority   int           `json:"priority"`
	State      FollowUpState `json:"state"`
	Assignee   string        `json:"assignee,omitempty"`
	IncidentID string        `json:"incident_id,omitempty"`
	Notes      []Note        `json:"notes,omitempty"`
	Due        time.Time     `json:"due,omitzero"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
}

// Note is one line of a follow-up's history.
type Note struct {
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
}

// Transition is a requested change of a follow-up's state.
//
// An empty To adds a note only: the state stays, Note is required, and a
// final follow-up takes notes too. To assigned on an assigned follow-up
// with another Assignee reassigns it.
type Transition struct {
	To FollowUpState
	// Assignee, when not empty, becomes the follow-up's assignee.
	Assignee string
	// Actor and Note are recorded in the follow-up's notes.
	Actor string
	Note  string
	At    time.Time
	// Channel, moving to contacted, says how the customer was reached
	// (email, phone, dm, reply, ...); recorded in the note.
	Channel string
	// Reason, moving to dismissed, says why (not a customer, spam, ...);
	// recorded in the note.
	Reason string
}

// Apply returns f moved by t, or an error wrapping ErrInvalidTransition.
// Stores use it so that every backend enforces the same rules.
func (f FollowUp) Apply(t Transition) (FollowUp, error) {
	var text string
	switch {
	case t.To == "":
		if t.Note == "" {
			return f, fmt.Errorf("follow-up %s: a note needs text: %w", f.ID, ErrInvalidTransition)
		}
		text = t.Note
	case t.To == FollowUpAssigned && f.State == FollowUpAssigned && t.Assignee != "" && t.Assignee != f.Assignee:
		text = fmt.Sprintf("reassigned to %s", t.Assignee)
		if f.Assignee != "" {
			text += fmt.Sprintf(" (was %s)", f.Assignee)
		}
		if t.Note != "" {
			text += ": " + t.Note
		}
		f.Assignee = t.Assignee
	case !f.State.CanMoveTo(t.To):
		return f, fmt.Errorf("follow-up %s: %s → %s: %w", f.ID, f.State, t.To, ErrInvalidTransition)
	case t.To == FollowUpAssigned && t.Assignee == "" && f.Assignee == "":
		return f, fmt.Errorf("follow-up %s: assigning needs an assignee: %w", f.ID, ErrInvalidTransition)
	default:
		f.State = t.To
		if t.Assignee != "" {
			f.Assignee = t.Assignee
		}
		text = fmt.Sprintf("state → %s", t.To)
		if t.To == FollowUpContacted && t.Channel != "" {
			text += " by " + t.Channel
		}
		if t.To == FollowUpDismissed && t.Reason != "" {
			text += " (reason: " + t.Reason + ")"
		}
		if t.Note != "" {
			text += ": " + t.Note
		}
	}
	f.Notes = append(append([]Note(nil), f.Notes...), Note{At: t.At, Author: t.Actor, Text: text})
	f.UpdatedAt = t.At
	return f, nil
}
