package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/earshot/earshot/collectors"
)

// errToken marks a failure to get an access token: every stream needs one,
// so the run stops.
var errToken = errors.New("getting a Reddit access token")

// token is an access token and when to stop using it.
type token struct {
	value   string
	renewAt time.Time
}

// maxTokenBody bounds the token endpoint's answer.
const maxTokenBody = 64 << 10

// tokenErrorPattern is what of the endpoint's "error" field may go in an
// error message: an OAuth error code, never an echo of what we sent.
var tokenErrorPattern = regexp.MustCompile(`^[a-z_]{1,40}$`)

// token returns the cached access token, or gets a new one with the client
// credentials grant when there is none or it is about to expire.
func (c *Collector) token(ctx context.Context, r *run) (string, error) {
	c.mu.Lock()
	tok := c.tok
	c.mu.Unlock()
	if tok.value != "" && r.now.Before(tok.renewAt) {
		return tok.value, nil
	}
	id, err := c.Cfg.ClientID.Resolve(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, &collectors.ConfigError{Kind: Kind, Name: c.Name(), Key: "client_id", Err: err})
	}
	secret, err := c.Cfg.ClientSecret.Resolve(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, &collectors.ConfigError{Kind: Kind, Name: c.Name(), Key: "client_secret", Err: err})
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Cfg.AuthURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, err)
	}
	req.SetBasicAuth(id, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.Cfg.UserAgent)
	resp, err := collectors.Fetch(c.Deps, req, maxTokenBody)
	r.requests++
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, err)
	}
	var body struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   float64         `json:"expires_in"`
		Error       json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return "", fmt.Errorf("%w: decoding %s: %w", errToken, collectors.Redact(req.URL), err)
	}
	if body.AccessToken == "" || (body.TokenType != "" && !strings.EqualFold(body.TokenType, "bearer")) {
		// Reddit answers some refusals with a 200: {"error": "invalid_grant"}.
		why := "no access token in the answer"
		var code string
		if json.Unmarshal(body.Error, &code) == nil && tokenErrorPattern.MatchString(code) {
			why = code
		}
		return "", fmt.Errorf("%w: %s: %w", errToken, why, collectors.ErrUnauthorized)
	}
	life := time.Duration(body.ExpiresIn * float64(time.Second))
	if life <= 0 {
		life = time.Hour
	}
	// Renew shortly before it expires: a tenth of its life early, at most a
	// minute.
	tok = token{value: body.AccessToken, renewAt: r.now.Add(life - min(life/10, time.Minute))}
	c.mu.Lock()
	c.tok = tok
	c.mu.Unlock()
	return tok.value, nil
}

// forgetToken drops tok, which the API refused, so the next request gets a
// new one.
func (c *Collector) forgetToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.value == tok {
		c.tok = token{}
	}
}
