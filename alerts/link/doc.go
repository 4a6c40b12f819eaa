// Package link explains spikes: which incident, if any, caused one, and
// why people are talking. It turns the spikes analysis/spikes finds into
// the earshot.Alerts routing carries to people.
//
// An engine calls the Linker at two moments:
//
//	// on every spike event (opened, updated, closed):
//	x, err := linker.Explain(ctx, ev.Spike)
//	store.SaveSpike(ctx, x.Spike) // IncidentID and LinkConfidence set
//	route(x.Alerts...)            // spike (+ unreported_incident), or resolved
//
//	// on every incident opened or changed:
//	rs, err := linker.Relink(ctx, inc)
//	for _, r := range rs {
//		store.SaveSpike(ctx, r.Spike)
//		route(r.Alert) // replaces the spike's alert: "now linked to ..."
//	}
//
// Build is Explain's alerts alone.
//
// # Linking
//
// Every incident open from Lag (30m) before to Lead (60m) after a spike
// began is a candidate, scored on four signals in [0, 1] (see Signals),
// combined as a weighted mean (Weights: time 0.30, services 0.20, terms
// 0.25, reasons 0.25):
//
//   - time: customers notice before monitoring does, so a spike may begin
//     up to Lead before the incident opens; an incident resolved more than
//     Lag before the spike began explains nothing (the score is then 0,
//     whatever the other signals say);
//   - services: the incident's services against the spike's watch's
//     (Watch.Services); an incident naming none covers all;
//   - terms: how many of the spike's posts use the incident's words
//     (title, services, updates), brand names left out;
//   - reasons: how many of the negative posts complain about the kind of
//     problem the incident's text describes (availability, login,
//     performance, ...), by each post's Sentiment.Reason.
//
// The best candidate is linked when it scores MinConfidence (0.55) and the
// posts agree with it (the weighted mean of terms and reasons reaches
// MinEvidence, 0.25): time and services alone never link. A spike already
// linked keeps its incident unless another scores 0.05 more. Ties go to
// the incident that started nearer the spike. Match.Reason says it
// in words: "incident 'Elevated API error rates' (api, login) was open
// from 14:31; the spike began 18 min earlier; 62% of the spike's negative
// posts are about availability and login, as it is; ...".
//
// # Possible unreported incidents
//
// A negative spike (negative share or net sentiment, or a volume spike
// whose scored posts are at least NegativeVolume negative) that no
// incident explains, where at least OutagePosts (5) and OutageShare (40%)
// of the negative posts use outage language ("down", "outage", "500",
// "not loading", "can't log in", "#acmedown", ...; "not down" and "no
// errors" do not count), raises an AlertUnreported, critical. A volume
// spike that is not mostly negative (a launch, a campaign) never does.
//
// # Alerts
//
// Alert IDs are the kind and the spike ID, so re-raising replaces. Every
// alert carries the Why: the terms most over-represented against the
// Baseline (24h) posts before the spike (Laplace-smoothed lift of
// document frequencies), the negative posts' reasons, the sources, three
// representative posts (most negative, then widest reach; near-duplicates
// once), and the link's reason.
package link
