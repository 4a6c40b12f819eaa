package e2e_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"
)

// serviceAccount returns a Google service account's JSON key file with a
// key made afresh, for the googleplay source (the replayed token endpoint
// does not check the signature; the collector's own tests do).
func serviceAccount(t *testing.T) string {
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
		"type":         "service_account",
		"client_email": "earshot-e2e@acme-cloud-prod.iam.gserviceaccount.com",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"token_uri":    "http://oauth2.googleapis.test/token",
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
