package faulttest

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot/store/clickhouse/chtest"
)

// freezeProxy forwards TCP connections on loopback to target, and while
// frozen forwards nothing in either direction (connections stay open and
// hang, as with a stalled server or a partitioned network).
type freezeProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cond   *sync.Cond
	frozen bool
	conns  []net.Conn
}

func newFreezeProxy(t *testing.T, target string) *freezeProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezeProxy{ln: ln, target: target}
	p.cond = sync.NewCond(&p.mu)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *freezeProxy) addr() string { return p.ln.Addr().String() }

func (p *freezeProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		go p.pipe(u, c)
		go p.pipe(c, u)
	}
}

func (p *freezeProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			for p.frozen {
				p.cond.Wait()
			}
			p.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *freezeProxy) set(frozen bool) {
	p.mu.Lock()
	p.frozen = frozen
	p.cond.Broadcast()
	p.mu.Unlock()
}

func (p *freezeProxy) close() {
	p.ln.Close()
	p.set(false)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// chCount counts, after FINAL, the rows of source in db and the distinct
// IDs among them, and how many of ids it holds.
func chCount(addr, db string) func(t *testing.T, source string, ids []string) (int, int, int) {
	return func(t *testing.T, source string, ids []string) (rows, distinct, found int) {
		conn, err := ch.Open(&ch.Options{Addr: []string{addr}})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		q := fmt.Sprintf("SELECT id FROM `%s`.posts FINAL WHERE source = ?", db)
		r, err := conn.Query(ctx, q, source)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		seen := map[string]int{}
		for r.Next() {
			var id string
			if err := r.Scan(&id); err != nil {
				t.Fatal(err)
			}
			seen[id]++
			rows++
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if seen[id] > 0 {
				found++
			}
		}
		return rows, len(seen), found
	}
}

// TestFaultKillAndFreezeClickHouse is the run on ClickHouse, the
// server frozen by a TCP proxy that stops forwarding, and earshot killed
// and restarted while it is frozen.
func TestFaultKillAndFreezeClickHouse(t *testing.T) {
	skipFault(t)
	addr, db := chtest.Fresh(t, "fault")
	proxy := newFreezeProxy(t, addr)
	plan := faultPlan{
		store: fmt.Sprintf("clickhouse://%s/%s", proxy.addr(), db), freeze: proxy.set,
		load: 20 * time.Second, feedRate: 20, pushers: 1, pushBatch: 50, pushEvery: 500 * time.Millisecond,
		freezeAt: 4 * time.Second, freezeFor: 8 * time.Second, killAt: 8 * time.Second, spoolBytes: 64 << 20,
		count: chCount(addr, db),
	}
	if soak() {
		plan.load, plan.freezeAt, plan.freezeFor, plan.killAt = 60*time.Second, 25*time.Second, 15*time.Second, 32*time.Second
	}
	rep := runFault(t, "kill+freeze clickhouse", plan)
	if rep.Restarts != 1 || rep.Acked == 0 || rep.FeedItems == 0 {
		t.Errorf("the run did not happen as planned: %+v", rep)
	}
}
