package earshot

import "testing"

func TestRoles(t *testing.T) {
	for _, r := range Roles {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	if _, err := ParseRole("root"); err == nil {
		t.Error("ParseRole accepted an unknown role")
	}
	cases := []struct {
		role                  Role
		queue, incidents, adm bool
	}{
		{RoleAdmin, true, true, true},
		{RoleComms, false, true, false},
		{RoleSupport, true, false, false},
		{RoleExec, false, false, false},
		{"", false, false, false},
	}
	for _, c := range cases {
		u := User{Name: "x", Role: c.role}
		if u.CanWorkQueue() != c.queue || u.CanRunIncidents() != c.incidents || u.IsAdmin() != c.adm {
			t.Errorf("%q: queue %v incidents %v admin %v", c.role, u.CanWorkQueue(), u.CanRunIncidents(), u.IsAdmin())
		}
	}
}
