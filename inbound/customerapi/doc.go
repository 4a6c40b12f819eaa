// Package customerapi reads customer account lists (CSV or JSON) and
// serves the admin APIs that import them and erase an author's data.
//
// # SocialAccount lists
//
// [Parse] reads accounts as CSV with a header row, or as JSON (an array
// of objects, or one object a line). The fields, by CSV column or JSON
// key:
//
//	source       the network the handle is on: twitter, mastodon, bluesky, reddit, ... (required; "network" also works)
//	handle       the account's handle, with or without "@" (required)
//	kind         customer (the default), media, bot, competitor or brand
//	customer_id  the customer's ID in your CRM
//	name         the customer's name
//	tier         the plan or support tier: strategic, enterprise, business, ...
//	owner        the account manager
//
// A customer needs a customer_id or a name. A bad line is reported with
// its number and reason and left out; the good lines are kept.
//
// # APIs
//
//	POST /api/v1/customers/import   body: CSV (Content-Type text/csv) or JSON; answers the report
//	POST /api/v1/erase              body: {"author": "SOURCE:ID"}; answers the audit line
//
// Both need an admin: the user the request carries (auth.UserFrom), or a
// bearer write token of the dashboard, which acts as an admin named
// "token". Bodies are limited (Options.MaxBody).
//
// The same Import and Erase serve `earshot customers` and `earshot erase`:
// ImportFile, PrintAccounts, PrintErasures and EraseAuthor do those
// commands' work and print with WriteImported, WriteAccounts and
// WriteErasures.
package customerapi
