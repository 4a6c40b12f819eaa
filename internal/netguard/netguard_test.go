package netguard

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestAllowed(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"93.184.215.14", true},
		{"8.8.8.8", true},
		{"2606:4700::6810:84e5", true},
		{"127.0.0.1", false},
		{"127.9.9.9", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"172.32.0.1", true},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // AWS, GCP, Azure metadata
		{"100.100.100.200", false}, // Alibaba metadata (CGNAT)
		{"100.64.0.1", false},
		{"100.128.0.1", true},
		{"0.0.0.0", false},
		{"::", false},
		{"255.255.255.255", false},
		{"224.0.0.1", false},
		{"fe80::1", false},
		{"fc00::1", false},
		{"fd00:ec2::254", false},
		{"::ffff:127.0.0.1", false}, // IPv4-mapped
		{"::ffff:10.0.0.1", false},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::7f00:1", false},  // NAT64 of 127.0.0.1
		{"64:ff9b::808:808", true},  // NAT64 of 8.8.8.8
		{"2002:a9fe:a9fe::", false}, // 6to4 of 169.254.169.254
		{"198.18.0.1", false},
		{"192.0.2.1", false},
	} {
		if got := Allowed(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("Allowed(%s) = %v, want %v", tc.ip, got, tc.want)
		}
	}
}

func TestControl(t *testing.T) {
	guarded := Policy{}
	for _, addr := range []string{"127.0.0.1:80", "[::1]:443", "169.254.169.254:80", "10.0.0.1:25", "garbage"} {
		if err := guarded.Control("tcp", addr, nil); !errors.Is(err, ErrBlocked) {
			t.Errorf("Control(%s) = %v, want ErrBlocked", addr, err)
		}
	}
	if err := guarded.Control("tcp", "8.8.8.8:443", nil); err != nil {
		t.Errorf("Control(8.8.8.8:443) = %v", err)
	}
	if err := (Policy{AllowPrivate: true}).Control("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("AllowPrivate: Control(127.0.0.1:80) = %v", err)
	}
}

func TestClientRefusesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	for _, u := range []string{srv.URL, "http://localhost:" + port + "/"} {
		resp, err := Client(false, 0).Get(u)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("GET %s: no error, want ErrBlocked", u)
		}
		if !errors.Is(err, ErrBlocked) {
			t.Errorf("GET %s: %v, want ErrBlocked", u, err)
		}
	}
	resp, err := Client(true, 0).Get(srv.URL)
	if err != nil {
		t.Fatalf("allow_private_networks: GET: %v", err)
	}
	resp.Body.Close()
}

// A redirect to a private address is refused: the redirect's dial is
// checked like the first. The first server is on an address the policy
// excepts, the target on another loopback address.
func TestClientRefusesRedirectToPrivate(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	reached := false
	target := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
	})}}
	target.Start()
	defer target.Close()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/latest/meta-data/", http.StatusFound)
	}))
	defer front.Close()

	p := Policy{Except: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	_, err = p.Client(0).Get(front.URL)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("GET via redirect: %v, want ErrBlocked", err)
	}
	if reached {
		t.Fatal("the redirect target was reached")
	}
	// Without the redirect, the excepted address is reachable.
	direct := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer direct.Close()
	resp, err := p.Client(0).Get(direct.URL)
	if err != nil {
		t.Fatalf("GET excepted address: %v", err)
	}
	resp.Body.Close()
}
