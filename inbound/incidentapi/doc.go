// Package incidentapi is Earshot's JSON API for incidents opened by hand,
// mounted by earshot serve at /api/v1/incidents when incident_api.tokens is
// set:
//
//	GET  /api/v1/incidents?from=&to=          incidents open in the window (default: the last 7 days)
//	GET  /api/v1/incidents/{id}               one incident
//	POST /api/v1/incidents                    open one: {"title", "services", "severity", "status", "message", "started_at", "url", "id"}
//	POST /api/v1/incidents/{id}/updates       post an update: {"status", "message", "at"}
//	POST /api/v1/incidents/{id}/resolve       resolve it: {"message", "at"}
//
// Reads are open, like the dashboard's; writes need "Authorization: Bearer
// <token>" with one of the configured tokens (compared in constant time),
// else 401. Bodies are JSON objects of at most 64 KiB (413 above); a
// mistake is a 400 {"error": "...", "field": "..."} naming the field, an
// unknown incident 404, and a change to a resolved incident 409.
//
// An incident opened here has the ID "manual:<id>", with the id given or one
// made from the time and a random suffix, and the source "manual". The rules
// live in Open and Update, which the earshot incident command uses too, so
// both refuse the same things.
package incidentapi
