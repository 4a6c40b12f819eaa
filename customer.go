package earshot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AccountKind says what an account is to the brand. Only customers are
// flagged for support; the other kinds are marked so that they never are.
type AccountKind string

// SocialAccount kinds.
const (
	AccountCustomer   AccountKind = "customer"
	AccountMedia      AccountKind = "media"
	AccountBot        AccountKind = "bot"
	AccountCompetitor AccountKind = "competitor"
	// AccountBrand is one of the brand's own accounts.
	AccountBrand AccountKind = "brand"
)

// AccountKinds lists the known kinds, customer first.
var AccountKinds = []AccountKind{AccountCustomer, AccountMedia, AccountBot, AccountCompetitor, AccountBrand}

// Valid reports whether k is a known kind.
func (k AccountKind) Valid() bool {
	for _, v := range AccountKinds {
		if k == v {
			return true
		}
	}
	return false
}

// SocialAccount is one known account on one source: a customer's handle, or an
// account that is not a customer (media, a bot, a competitor, the brand's
// own). Support imports them (`earshot customers import`).
type SocialAccount struct {
	// Source is the network the handle is on: "twitter", "mastodon", ...
	Source string `json:"source"`
	// Handle is the public handle as the source shows it; a leading "@"
	// and case do not matter (see HandleKey).
	Handle string      `json:"handle"`
	Kind   AccountKind `json:"kind"`
	// CustomerID, Name, Tier and Owner describe the customer behind a
	// customer account: the ID in the CRM, the company or person, the plan
	// or support tier ("enterprise", "business", ...), and the account
	// manager who owns the relationship.
	CustomerID string    `json:"customer_id,omitempty"`
	Name       string    `json:"name,omitempty"`
	Tier       string    `json:"tier,omitempty"`
	Owner      string    `json:"owner,omitempty"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
}

// HandleKey is how handles are compared: trimmed, without a leading "@",
// in lower case.
func HandleKey(handle string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
}

// Limits on an account's fields.
const (
	maxAccountField = 200
)

// Validate reports what is wrong with a, naming the field.
func (a SocialAccount) Validate() error {
	var errs []error
	if strings.TrimSpace(a.Source) == "" {
		errs = append(errs, errors.New("source is empty"))
	}
	if HandleKey(a.Handle) == "" {
		errs = append(errs, errors.New("handle is empty"))
	}
	if !a.Kind.Valid() {
		errs = append(errs, fmt.Errorf("kind %q is not one of customer, media, bot, competitor, brand", a.Kind))
	}
	if a.Kind == AccountCustomer && a.CustomerID == "" && a.Name == "" {
		errs = append(errs, errors.New("a customer needs a customer_id or a name"))
	}
	for _, f := range []struct{ name, v string }{
		{"source", a.Source}, {"handle", a.Handle}, {"customer_id", a.CustomerID},
		{"name", a.Name}, {"tier", a.Tier}, {"owner", a.Owner},
	} {
		if len(f.v) > maxAccountField {
			errs = append(errs, fmt.Errorf("%s is longer than %d bytes", f.name, maxAccountField))
		}
		if !validText(f.v) {
			errs = append(errs, fmt.Errorf("%s is not valid UTF-8 text", f.name))
		}
	}
	return errors.Join(errs...)
}

// Customer is who a follow-up's author is to the business, from the
// imported accounts.
type Customer struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Tier string `json:"tier,omitempty"`
}

// IsZero reports whether c says nothing (the author is not a known
// customer).
func (c Customer) IsZero() bool { return c == Customer{} }

// CustomerOf returns the customer a customer account describes.
func (a SocialAccount) CustomerOf() Customer {
	return Customer{ID: a.CustomerID, Name: a.Name, Tier: a.Tier}
}

// CustomerStore keeps the imported accounts.
type CustomerStore interface {
	// SaveSocialAccounts creates or replaces accounts, keyed by Source and
	// HandleKey(Handle); of two in one call with the same key the later
	// wins. It returns nil only once they are stored.
	SaveSocialAccounts(ctx context.Context, accounts []SocialAccount) error
	// Accounts returns every account, by source then handle key.
	SocialAccounts(ctx context.Context) ([]SocialAccount, error)
}

// validText reports whether s is UTF-8 with no control characters.
func validText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}
