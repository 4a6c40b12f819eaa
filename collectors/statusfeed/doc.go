// Package statusfeed collects incidents from a status page's RSS or Atom
// history feed (kind "status_feed"), for pages with no API Earshot speaks:
// Atlassian Statuspage's history.rss and history.atom, LambStatus, and any
// feed written the same way.
//
//	incidents:
//	  - type: status_feed
//	    name: acme-history
//	    interval: 5m
//	    url: https://status.example.com/history.atom
//	    services: [api, login]
//
// Each item is one incident; its ID is "<source>:<item link>" (the GUID when
// the item has no http(s) link). Such feeds pack the whole timeline of an
// incident into the item's HTML, newest first:
//
//	<p><small>Mar <var data-var='date'>2</var>, <var data-var='time'>10:14</var> UTC</small><br>
//	<strong>Resolved</strong> - This incident has been resolved.</p>
//	<p><small>Mar 2, 09:40 UTC</small><br><strong>Investigating</strong> - We are looking into it.</p>
//
// The collector reads that as text: a line holding a date ("Mar 2, 09:40
// UTC", "May 13, 2017, 06:45 UTC", "Jun 10, 2024 - 11:10 PDT") starts an
// update, and a "Status - body" line (from "<strong>Status</strong> - body"
// in HTML) gives its status and the start of its body, which runs to the
// next date. Statuses are Investigating, Identified, Monitoring and Resolved;
// "Update" keeps the status before it and "Postmortem" counts as resolved.
// A date without a year takes the year that puts it at or before the item's
// own date (so a December update of an incident resolved in January lands
// in the right year); a time zone abbreviation Earshot does not know takes
// the offset of the item's date. An update with no date takes the item's.
// Scheduled maintenance (an item whose first status is Scheduled, In
// progress, Verifying or Completed, or whose link is under /maintenances/)
// is not an incident and is skipped, and so is an item with no date at all
// (it would start anew at every poll). An item whose text says no status at
// all becomes one investigating update with the item's text.
//
// The incident is what its updates say: its status is the latest update's,
// it started at its first update and is resolved at its first resolved
// update after the last other one. Feeds carry no components, so every
// incident names the services in the configuration.
//
// The cursor keeps the feed's ETag and Last-Modified, sent back as
// conditional headers (a 304 is earshot.ErrNotModified), and a hash of each
// incident in the feed, so that only new or changed incidents are returned,
// each whole; the store replaces them by ID, so a re-poll never duplicates
// an incident or an update.
package statusfeed
