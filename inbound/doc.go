// Package inbound holds every HTTP endpoint through which the outside world
// pushes posts or incidents into Earshot, one package each:
//
//	ingestapi/      POST /api/v1/ingest: posts from systems Earshot has no collector for
//	pagerdutyhook/  /hooks/pagerduty: PagerDuty v3 webhooks, kept as incidents
//	opsgeniehook/   /hooks/opsgenie: Opsgenie alert actions, kept as incidents
//	incidentapi/    /api/v1/incidents: incidents opened and updated by hand
//
// Pollers, which go out and fetch, live in collectors/; nothing here polls.
// The endpoints that keep incidents share one read-modify-write of a stored
// incident, Incidents.Upsert, so they load, change and save the same way;
// serve hands them a Waking store, which wakes the engine after each save
// so the spike an incident explains is linked within seconds.
package inbound
