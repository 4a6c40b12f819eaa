// Package statuspage collects incidents from an Atlassian Statuspage page
// through its public API (kind "statuspage"): GET {page}/api/v2/incidents.json,
// the page's most recent incidents with their updates and components, and,
// only when an incident names a component by ID alone,
// GET {page}/api/v2/components.json to name it.
//
//	incidents:
//	  - type: statuspage
//	    name: acme-status
//	    interval: 2m
//	    page: https://status.example.com
//	    components: {"API": api, "Login and SSO": login}
//
// Each Statuspage incident becomes one earshot.Incident with the ID
// "statuspage:<incident id>": its name is the title, its status is the
// page's (postmortem counts as resolved; the maintenance statuses in_progress,
// verifying and completed count as identified, monitoring and resolved, and a
// maintenance still only scheduled is skipped), its impact (none, minor,
// major, critical) the severity, its components the services (mapped through
// components, else under their own names), created_at (or started_at) the
// start, resolved_at the resolution, the shortlink the URL and its
// incident_updates, oldest first, the updates.
//
// The cursor holds the ETag of the last answer and the newest updated_at
// seen. A 304 is earshot.ErrNotModified; otherwise only the incidents updated
// at or after that time are returned, each whole, so the store replaces them
// by ID and a re-poll never duplicates an incident or an update.
package statuspage
