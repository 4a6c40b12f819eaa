package demo

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/earshot/earshot"
)

// companySuffixes make customer names out of the authors' last names.
var companySuffixes = []string{"Logistics", "Labs", "Health", "Retail", "Studio", "Analytics", "Foods", "Travel", "Bank", "Games"}

// accounts returns the accounts Acme's support team would have imported:
// the brand's own handles, and a customer list (about one author in fifty
// on the social sources, as a CRM links them to handles), a few of them on
// the strategic or enterprise tier. It draws from its own random source,
// so the posts are the same with or without it. News accounts are not
// listed: flagging recognises them by their signals.
func accounts(seed uint64, posts []earshot.Post) []earshot.SocialAccount {
	rng := rand.New(rand.NewPCG(seed^0x5eed, seed+0xacc0))
	var out []earshot.SocialAccount
	for _, w := range Watches() {
		for _, h := range w.Handles {
			out = append(out, earshot.SocialAccount{Source: "twitter", Handle: h, Kind: earshot.AccountBrand, Name: "Acme (our account)"})
		}
	}
	seen := map[string]bool{}
	var authors []earshot.Post
	for _, p := range posts {
		k := p.Source + "/" + p.Author.ID
		if seen[k] || p.Author.Handle == "" || p.Source == "hackernews" || p.Source == "rss" || p.Author.Followers >= 30_000 {
			continue
		}
		seen[k] = true
		authors = append(authors, p)
	}
	slices.SortFunc(authors, func(a, b earshot.Post) int {
		return strings.Compare(a.Source+"/"+a.Author.ID, b.Source+"/"+b.Author.ID)
	})
	for i, p := range authors {
		if rng.IntN(50) != 0 {
			continue
		}
		tier := "business"
		switch x := rng.IntN(10); {
		case x == 0:
			tier = "strategic"
		case x < 4:
			tier = "enterprise"
		}
		last := p.Author.Name
		if f := strings.Fields(last); len(f) > 0 {
			last = f[len(f)-1]
		} else {
			last = "Northwind"
		}
		out = append(out, earshot.SocialAccount{
			Source: p.Source, Handle: p.Author.Handle, Kind: earshot.AccountCustomer,
			CustomerID: "acme-" + strings.ToUpper(base32(uint64(i)*2654435761+uint64(rng.IntN(1000)), 6)),
			Name:       last + " " + pick(rng, companySuffixes), Tier: tier, Owner: pick(rng, []string{"jordan", "amira", "kenji"}),
		})
	}
	return out
}
