package live

import (
	"time"

	"github.com/earshot/earshot"
)

// PostCountsEvery is how often serve counts the posts stored into one
// live event (Store.Run).
const PostCountsEvery = 5 * time.Second

// New returns a hub with opts and st wrapped to publish to it: what is
// saved through the Store reaches the pages the hub serves.
func New(st earshot.Store, opts Options) (*Hub, *Store) {
	hub := NewHub(opts)
	return hub, Wrap(st, hub)
}

// PublicationsOf returns the publications st keeps, nil when it keeps none.
// Under a Store it asks the wrapped store, whose type tells which optional
// interfaces it implements.
func PublicationsOf(st earshot.Store) earshot.PublicationStore {
	if u, ok := st.(interface{ Unwrap() earshot.Store }); ok {
		st = u.Unwrap()
	}
	ps, _ := st.(earshot.PublicationStore)
	return ps
}
