// Package web is Earshot's built-in dashboard: one server-rendered page for
// comms teams and a small JSON API over the same data. It needs nothing but
// the standard library and works offline: no external scripts, fonts or
// styles.
//
// New takes a Store (the few PostStore, IncidentStore, SpikeStore and
// FollowUpStore methods it uses) and returns a Server, an http.Handler:
//
//	GET /                     the timeline: volume and mean sentiment over
//	                          time with incidents as bands, a per-source
//	                          table and the most negative recent posts.
//	                          ?range=24h|7d|14d|30d, ?watch=, ?source=.
//	GET /api/series           {"from","to","bucket","group","points":[Bucket]}
//	                          ?from=&to= (RFC 3339), bucket=1m|1h|1d,
//	                          group=|watch|source, watch=, source=
//	GET /api/incidents        {"from","to","incidents":[Incident]}
//	GET /api/posts/negative   {"from","to","limit","posts":[Post]}
//	                          ?from=&to=&limit=&watch=&source=
//	GET /support              the support queue: follow-ups by priority
//	                          then due time, overdue ones highlighted, each
//	                          with its customer, reason, latest posts, a
//	                          link to answer where the post was written,
//	                          incident, state, assignee and notes; filters
//	                          in the query string: ?state=active|open|
//	                          assigned|contacted|resolved|dismissed|all
//	                          (default active), watch=, source=,
//	                          priority=1..4, incident= (an ID or none),
//	                          assignee= (a name, me or none), overdue=1.
//	POST /support/act         the page's forms: action=assign-me|assign|
//	                          note|contacted|resolve|dismiss, id= (one or
//	                          more: bulk), note=, assignee=, channel=
//	                          (contacted: reply, dm, email, phone, chat,
//	                          other), reason= (required to dismiss), back=
//	                          (the page's query). Redirects back with a
//	                          flash message saying what was done and what
//	                          was refused, and why.
//	GET /incidents/{id}       an incident: its follow-ups (counts by state
//	                          and the list), sentiment recovery (negative
//	                          share since vs. the baseline before it) and
//	                          closing it for comms (earshot.Incident.Close).
//	POST /incidents/{id}/close
//	                          closes it for comms; override= (an admin's
//	                          reason) closes despite the refusals.
//	GET /api/followups        {"states","followups":[FollowUp]} in the same
//	                          order; ?state= takes states, comma-separated
//	                          or repeated, "active" (the default) or "all".
//	POST /api/followups/{id}/move
//	                          {"to","assignee","note","channel","reason"}:
//	                          moves a follow-up (see earshot.FollowUp.Apply)
//	                          and answers it; an "actor" sent is ignored.
//	                          401 without a user or a write token, 403 for
//	                          a role that may not work the queue, 404 for
//	                          an unknown follow-up, 409 with a plain message
//	                          for a move its state does not allow.
//	GET /healthz              "ok"
//
// API windows default to the last 7 days up to Options.Now, buckets to 1h.
// A bad parameter gets a 400 with {"error": "..."} naming it; a store
// failure gets a 500 with a plain message, and is logged.
//
// Posts are hostile input. Everything from a post (text, author, URL) goes
// through html/template's contextual escaping and is never marked safe;
// a post's link is rendered only when it is an absolute http or https URL.
// Responses carry a strict Content-Security-Policy: the pages run no
// script at all; forms post to this origin only (form-action 'self').
//
// Who acts: every change takes its user from the request's context
// (auth.UserFrom, put there by the sign-in middleware), and the audit
// trail records that user's name, never one the client sends. A valid
// write token (Options.WriteTokens) with no user acts as "token", an
// admin. Support and admins work the queue; comms and admins close
// incidents; an admin alone overrides a refused closing; exec reads.
// Forms carry no CSRF token: cross-origin protection wraps the server.
package web
