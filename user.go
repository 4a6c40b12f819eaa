package earshot

import "fmt"

// Role is what a signed-in person may do in Earshot.
type Role string

// Roles. An admin may do everything; comms runs incidents and their
// public story; support works the follow-up queue; exec reads.
const (
	RoleAdmin   Role = "admin"
	RoleComms   Role = "comms"
	RoleSupport Role = "support"
	RoleExec    Role = "exec"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleComms, RoleSupport, RoleExec}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleComms, RoleSupport, RoleExec:
		return true
	}
	return false
}

// ParseRole returns the role named s, or an error naming the roles.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (one of admin, comms, support, exec)", s)
}

// User is who makes a request: a person signed in, or the owner of an API
// token. Audit trails record Name, never a name the client sends.
type User struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// CanWorkQueue reports whether u may move follow-ups (assign, note,
// contact, resolve, dismiss).
func (u User) CanWorkQueue() bool { return u.Role == RoleAdmin || u.Role == RoleSupport }

// CanRunIncidents reports whether u may open, update, close and publish
// about incidents.
func (u User) CanRunIncidents() bool { return u.Role == RoleAdmin || u.Role == RoleComms }

// IsAdmin reports whether u may manage users, erase data and override
// refusals (closing an incident with customers still waiting).
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }
