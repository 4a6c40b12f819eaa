package googleplay

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/earshot/earshot/collectors"
)

// scope is the OAuth scope of the Google Play Developer API.
const scope = "https://www.googleapis.com/auth/androidpublisher"

// jwtBearer is the grant type of a service account's signed assertion
// (RFC 7523).
const jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// assertionLife is how long the signed assertion is valid: Google takes
// at most an hour.
const assertionLife = time.Hour

// maxTokenBody bounds the token endpoint's answer.
const maxTokenBody = 64 << 10

// errToken marks a failure to get an access token.
var errToken = errors.New("getting a Google access token")

// oauthErrorPattern is what of the endpoint's "error" field may go in an
// error message: an OAuth error code.
var oauthErrorPattern = regexp.MustCompile(`^[a-z_]{1,40}$`)

// serviceAccount is the part of a service account's JSON key file the
// collector uses.
type serviceAccount struct {
	Type         string `json:"type"`
	ClientEmail  string `json:"client_email"`
	PrivateKey   string `json:"private_key"`
	PrivateKeyID string `json:"private_key_id"`
	TokenURI     string `json:"token_uri"`
}

// account is a parsed service account, ready to sign.
type account struct {
	email, keyID, tokenURI string
	key                    *rsa.PrivateKey
}

// parseAccount reads a service account's JSON key. Its errors never
// quote the key.
func parseAccount(raw string) (*account, error) {
	var sa serviceAccount
	if err := json.Unmarshal([]byte(raw), &sa); err != nil {
		return nil, errors.New("not a service account's JSON key file")
	}
	switch {
	case sa.Type != "service_account":
		return nil, fmt.Errorf("type %q, want service_account", sa.Type)
	case sa.ClientEmail == "":
		return nil, errors.New("no client_email")
	case sa.PrivateKey == "":
		return nil, errors.New("no private_key")
	}
	if sa.TokenURI == "" {
		sa.TokenURI = "https://oauth2.googleapis.com/token"
	}
	u, err := url.Parse(sa.TokenURI)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("token_uri is not an http(s) URL")
	}
	block, _ := pem.Decode([]byte(sa.PrivateKey))
	if block == nil {
		return nil, errors.New("private_key is not PEM")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("private_key is not an RSA key")
		}
		key = rk
	} else if rk, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		key = rk
	} else {
		return nil, errors.New("private_key does not parse as PKCS #8 or PKCS #1")
	}
	return &account{email: sa.ClientEmail, keyID: sa.PrivateKeyID, tokenURI: sa.TokenURI, key: key}, nil
}

// assertion returns the JWT asking for an access token, signed with RS256.
func (a *account) assertion(now time.Time) (string, error) {
	header := map[string]string{"alg": "RS256", "typ": "JWT"}
	if a.keyID != "" {
		header["kid"] = a.keyID
	}
	claims := map[string]any{
		"iss":   a.email,
		"scope": scope,
		"aud":   a.tokenURI,
		"iat":   now.Unix(),
		"exp":   now.Add(assertionLife).Unix(),
	}
	var parts []string
	for _, v := range []any{header, claims} {
		b, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		parts = append(parts, base64.RawURLEncoding.EncodeToString(b))
	}
	signed := strings.Join(parts, ".")
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, a.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("signing: %w", err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// token is an access token and when to stop using it.
type token struct {
	value   string
	renewAt time.Time
}

// token returns the cached access token, or exchanges a fresh assertion
// for one when there is none or it is about to expire.
func (c *Collector) token(ctx context.Context, now time.Time) (string, error) {
	c.mu.Lock()
	tok := c.tok
	c.mu.Unlock()
	if tok.value != "" && now.Before(tok.renewAt) {
		return tok.value, nil
	}
	raw, err := c.Cfg.ServiceAccount.Resolve(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, &collectors.ConfigError{Kind: Kind, Name: c.Name(), Key: "service_account", Err: err})
	}
	acct, err := parseAccount(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, &collectors.ConfigError{Kind: Kind, Name: c.Name(), Key: "service_account", Err: err})
	}
	jwt, err := acct.assertion(now)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, err)
	}
	form := url.Values{"grant_type": {jwtBearer}, "assertion": {jwt}}
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, acct.tokenURI, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("%w: %w", errToken, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := collectors.Fetch(c.Deps, req, maxTokenBody)
	if err != nil {
		var se *collectors.StatusError
		if errors.As(err, &se) {
			if code := oauthError(se.Body); code != "" {
				// invalid_grant (a deleted key, a clock far off),
				// invalid_client, unauthorized_client: the credentials.
				return "", fmt.Errorf("%w: %s: %w", errToken, code, collectors.ErrUnauthorized)
			}
		}
		return "", fmt.Errorf("%w: %w", errToken, err)
	}
	var body struct {
		AccessToken string  `json:"access_token"`
		TokenType   string  `json:"token_type"`
		ExpiresIn   float64 `json:"expires_in"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return "", fmt.Errorf("%w: decoding %s: %w", errToken, collectors.Redact(req.URL), err)
	}
	if body.AccessToken == "" || (body.TokenType != "" && !strings.EqualFold(body.TokenType, "bearer")) {
		return "", fmt.Errorf("%w: no bearer access token in the answer: %w", errToken, collectors.ErrUnauthorized)
	}
	life := time.Duration(body.ExpiresIn * float64(time.Second))
	if life <= 0 {
		life = time.Hour
	}
	// Renew shortly before it expires: a tenth of its life early, at most
	// a minute.
	tok = token{value: body.AccessToken, renewAt: now.Add(life - min(life/10, time.Minute))}
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

// oauthError returns the OAuth error code of a token endpoint's error
// body ({"error":"invalid_grant",...}), when it is one.
func oauthError(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || !oauthErrorPattern.MatchString(e.Error) {
		return ""
	}
	return e.Error
}
