package earshot

import "time"

// Validate reports why a normalized post cannot be stored, or nil.
func Validate(p Post) error {
	switch {
	case p.ID == "":
		return errorf("post has no id")
	case p.Source == "":
		return errorf("post %q has no source", p.ID)
	case !p.Kind.Valid():
		return errorf("post %q has unknown kind %q", p.ID, p.Kind)
	case p.CreatedAt.IsZero():
		return errorf("post %q has no creation time", p.ID)
	case p.CreatedAt.Year() < 1990 || p.CreatedAt.After(p.CollectedAt.Add(24*time.Hour)):
		return errorf("post %q has an implausible creation time %s", p.ID, p.CreatedAt.Format(time.RFC3339))
	}
	return nil
}
