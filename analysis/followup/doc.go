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
//     Config.StrongScore) and comes from an author with high reach or from
//     a customer whose tier Config.Tiers names. With Config.OnePost
//     "context", one during an incident is enough too; with "always", any
//     strongly negative post. By default ("reach") a one-off complaint
//     flags only when repeated, because the sentiment models score most
//     complaints strongly negative: an outage brings hundreds of them,
//     which the incident's updates answer, and support would drown.
//
// Posts by the brand's own accounts (Post.FromBrand) and posts whose author
// has no ID are never flagged; a post is negative when its sentiment label
// is negative (a 1- or 2-star review is, whatever its words).
//
// # Customers, marked accounts, likely media and bots
//
// When the store keeps imported accounts (earshot.CustomerStore), an
// author is matched to one by source and handle (earshot.HandleKey). An
// account of a kind other than customer (media, bot, competitor, brand) is
// never flagged. A customer's follow-up carries the customer (ID, name,
// tier), and its tier adds Config.Tiers points to the priority.
//
// Authors that are not imported are held out when they look like media or
// a bot (Config.HoldLikely "hold", the default), by signals from the posts
// of the last Window, every post counted, not only complaints:
// words of news, status and alert feeds in the handle or name (news,
// watch, alerts, status, outage, digest, bot, ...), high reach, a bot's
// posting rate (Config.BotRate a day), posts that are a link and little
// else, the same text three times, articles. The name and reach are weak
// (people have them too) and hold only together; each other signal holds
// alone. [Flagger.Held] lists who was held and why: "held out: likely
// media (signals: name says watch, outage; 96k followers)". Import a held
// author as a customer to have them flagged.
//
// # Priority
//
// A flagged customer gets one point for each of four signals, plus the
// points of their tier (Config.Tiers: strategic 2, enterprise 1 by
// default):
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
// Priority is 5 minus the points (never above P1): four points make P1
// (most urgent), three P2, two P3, one P4 (repeated complaints alone, or with one_post
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
// [Over] makes a Flagger over any earshot.Store; [Flagger.Flag] over a
// [DryRun] of the store says what flagging would do without writing
// (`earshot followups list --held`), and [WriteReport] prints a Report.
// [PrintFlagged] and [PrintQueue] are the work of `earshot followups flag`
// and `earshot followups list`.
package followup
