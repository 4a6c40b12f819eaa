package publish

import (
	"fmt"
	"net/url"
	"strings"
)

// BaseURL returns raw (or def when raw is empty) without a trailing
// slash, or an error when it is not an http or https URL.
func BaseURL(raw, def string) (string, error) {
	if raw == "" {
		raw = def
	}
	if raw == "" {
		return "", fmt.Errorf("base_url: required")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base_url: %q is not an http or https URL", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
