// Package followup finds the customers support should reach: it turns
// stored posts into earshot.FollowUps, so that an incident is not over until
// every unhappy customer has been followed up.
//
// A [Flagger] reads the posts a store holds, keeps each customer's negative
// posts of the last Config.Window, and flags a customer (one author on one
// source) when
//
//   - they posted Config.RepeatCount negative posts or more within one
//     Config.Window (repeated complaints), or
//   - one of their posts is strongly negative (score at or below
//     Config.StrongScore) and came during an incident or from an author
//     with high reach. With Config.OnePost "always", any strongly negative
//     post is enough; by default ("context") an everyday complaint flags
//     only when repeated, because the sentiment models score most
//     complaints strongly negative and support would drown in them.
//
// Posts by the brand's own accounts (Post.FromBrand) and posts whose author
// has no ID are never flagged; a post is negative when its sentiment label
// is negative (a 1- or 2-star review is, whatever its words).
//
// # Priority
//
// A flagged customer gets one point for each of four signals:
//
//   - strong: a strongly negative post;
//   - repeated: RepeatCount negative posts or more within one Window;
//   - reach: the author's largest follower count is Config.HighReach or
//     more;
//   - incident: a post linked to an incident (Post.IncidentID) or created
//     while an incident was open. The follow-up carries that incident's ID
//     (a linked incident wins over one that was merely open, a later post's
//     over an earlier one's).
//
// Priority is 5 minus the points: four points make P1 (most urgent), three
// P2, two P3, one P4 (repeated complaints alone, or with one_post
// "always" a strongly negative post alone). A follow-up is due Config.Due after it was flagged (by
// default P1 4h, P2 24h, P3 72h, P4 7 days). Its Reason says the same in
// words support can act on: "3 negative posts in 2 days during incident
// 'Elevated API error rates'; 48k followers".
//
// # Idempotence
//
// There is at most one follow-up in progress (open, assigned or contacted)
// per customer. A later negative post of a customer with one is added to it
// (with a note), and may raise its priority, never lower it; the flagger
// changes only its posts, reason, priority, due time and incident, on a
// fresh copy, so support's state, assignee and notes are kept. A resolved
// or dismissed follow-up is never reopened: posts it holds, and posts
// created before it was closed, flag nothing again, while negative posts
// created after it was closed open a new follow-up. IDs are stable: a hash of
// the source, the author and the follow-up's first post, so running again
// over the same posts, even from a fresh process, finds the same follow-ups.
//
// # Running
//
// [Flagger.Step] reads the posts created since the last step (the first
// one reads a whole Window; each re-reads Config.Overlap before the last,
// for posts collected late) and flags; [Flagger.Run] calls it every
// Config.Interval, as `earshot serve` does. [Flagger.Replay] steps through
// a past span on the data's clock, as `earshot demo` does over its
// scenario, so follow-ups are flagged when they would have been live.
package followup
