// Package publishapi serves drafting and publishing incident updates over
// HTTP (see docs/publishing.md):
//
//	GET  /api/v1/incidents/{id}/draft?phase=...&channel=statuspage|social   {"text": ...}
//	GET  /api/v1/incidents/{id}/publications                               the publications, the channels
//	POST /api/v1/incidents/{id}/previews                                   each channel's text as it would go
//	POST /api/v1/incidents/{id}/publications                               publish (or ask for approval)
//	POST /api/v1/incidents/{id}/publications/{pub}/approve                 approve a pending one
//
// Publishing and approving are done as the request's user
// (auth.UserFrom), who must run incidents (comms or admin); a request
// with a web write token and no user is done as "token", an admin.
package publishapi
