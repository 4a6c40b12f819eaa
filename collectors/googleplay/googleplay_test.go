package googleplay_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/googleplay"
)

// The service account of every case: its key is made afresh for each
// test run, and the fake token endpoint (checkRequest) verifies the
// signature of every assertion with it.
const (
	clientEmail = "earshot-reviews@acme-cloud-prod.iam.gserviceaccount.com"
	tokenURI    = "http://oauth2.googleapis.test/token"
	keyID       = "3f1c2e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e"
)

// newServiceAccount returns a fresh RSA key and a service account's JSON
// key file holding it, the way the Google Cloud console writes one.
func newServiceAccount(t testing.TB) (*rsa.PrivateKey, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]string{
		"type":                        "service_account",
		"project_id":                  "acme-cloud-prod",
		"private_key_id":              keyID,
		"private_key":                 string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":                clientEmail,
		"client_id":                   "104612345678901234567",
		"auth_uri":                    "https://accounts.google.com/o/oauth2/auth",
		"token_uri":                   tokenURI,
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_x509_cert_url":        "https://www.googleapis.com/robot/v1/metadata/x509/earshot-reviews%40acme-cloud-prod.iam.gserviceaccount.com",
		"universe_domain":             "googleapis.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	return key, string(b)
}

// TestCases runs testdata/*/case.yaml (see collectortest).
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	key, sa := newServiceAccount(t)
	// The key's base64 body is what must never leak; a line of it will do.
	keyLine := strings.Split(sa, `\n`)[2]
	return collectortest.Suite{
		Kind: "googleplay",
		Config: map[string]any{
			"package_name":    "com.acme.cloud",
			"service_account": "env:EARSHOT_TEST_GOOGLE_SA",
			"base_url":        "http://androidpublisher.googleapis.test",
		},
		Env:          map[string]string{"EARSHOT_TEST_GOOGLE_SA": sa},
		Secrets:      []string{keyLine},
		Header:       map[string]string{"Content-Type": "application/json; charset=UTF-8"},
		WantPathOnly: true,
		Repeats:      true, // an edited review comes again under its ID
		Check:        func(t testing.TB, r *collectortest.Request) { checkRequest(t, r, &key.PublicKey) },
		Layout:       collectortest.Layout{Cursor: collectortest.CursorString},
	}
}

// checkRequest plays Google's token endpoint: a token request must carry
// the JWT bearer grant and an assertion signed with the service account's
// key (RS256), naming the account, the scope and the endpoint, valid for
// an hour. A reviews request must ask for 100 reviews.
func checkRequest(t testing.TB, r *collectortest.Request, pub *rsa.PublicKey) {
	t.Helper()
	if r.Method == http.MethodGet {
		if g := r.URL.Query().Get("maxResults"); g != "100" {
			r.Errorf(t, "maxResults = %q", g)
		}
		return
	}
	if r.URL.Path != "/token" {
		r.Errorf(t, "POST to %s", r.URL.Path)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		r.Errorf(t, "Content-Type %q", ct)
	}
	form, err := url.ParseQuery(string(r.Body))
	if err != nil {
		r.Errorf(t, "form: %v", err)
		return
	}
	if g := form.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		r.Errorf(t, "grant_type %q", g)
	}
	parts := strings.Split(form.Get("assertion"), ".")
	if len(parts) != 3 {
		r.Errorf(t, "the assertion is not a JWT")
		return
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		r.Errorf(t, "signature: %v", err)
		return
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		r.Errorf(t, "the assertion's signature does not verify: %v", err)
	}
	var header struct{ Alg, Typ, Kid string }
	var claims struct {
		Iss, Scope, Aud string
		Iat, Exp        int64
	}
	for i, v := range []any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			r.Errorf(t, "JWT part %d: %v", i, err)
			return
		}
		if err := json.Unmarshal(b, v); err != nil {
			r.Errorf(t, "JWT part %d: %v", i, err)
		}
	}
	if header.Alg != "RS256" || header.Typ != "JWT" || header.Kid != keyID {
		r.Errorf(t, "JWT header %+v", header)
	}
	if claims.Iss != clientEmail || claims.Scope != "https://www.googleapis.com/auth/androidpublisher" ||
		claims.Aud != tokenURI || claims.Exp-claims.Iat != 3600 || claims.Iat < 1748865600 {
		r.Errorf(t, "JWT claims %+v", claims)
	}
}
