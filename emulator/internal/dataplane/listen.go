package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Listeners that really serve. A load balancer has a node in each enabled zone (route.go),
// and each node accepts each listener's connections on 127.0.0.1 at a port the OS picks.
// The nodes are bound the first time the listeners are asked for (Bind) and from then on
// follow every change (Sync): a listener created later is served at once by every node, a
// deleted one stops accepting, a node comes with its zone and goes with it. A node's address
// is stable for as long as its zone and listener stay.
//
//   - HTTP listeners reverse-proxy each request to one backend chosen at that moment (so a
//     client reusing its connection is still spread across members), adding X-Forwarded-For,
//     X-Forwarded-Proto and X-Forwarded-Port as ELB does. No backend: 503, as ELB answers
//     when no registered instance is healthy. A backend that cannot be reached: 502 (504 on a
//     timeout), ELB's answers too. Stickiness policies apply (sticky.go).
//   - TCP listeners proxy bytes of each connection to one backend chosen when it is accepted.
//     No backend: the connection is closed.
//   - HTTPS and SSL listeners terminate TLS with the listener's server certificate, asked of
//     the control plane on every handshake (ControlPlane.Certificate, tls.go), so that a
//     certificate replaced by SetLoadBalancerListenerSSLCertificate is presented to every new
//     connection at once while open ones keep theirs; then HTTPS proxies requests as HTTP
//     does (X-Forwarded-Proto https) and SSL bytes as TCP does. A listener without a
//     certificate fails every handshake.
//
// Every request or connection routed to a member is in flight until it ends (drain.go), and
// client connections idle longer than the idle timeout are closed (idle.go).
//
// The back-end protocol follows InstanceProtocol: HTTPS and SSL speak TLS to the backend
// without verifying its certificate (ELB Classic's behaviour without a backend
// authentication policy).

// Bound is one listener of a load balancer as served by the node of one zone.
type Bound struct {
	Listener Listener
	Zone     string
	Addr     string // where it accepts; "" when not served

	ln  net.Listener
	srv *http.Server // HTTP listeners
	rr  atomic.Uint64

	mu    sync.Mutex // open client connections, closed at shutdown
	conns map[*trackedConn]struct{}
	done  bool
	stop  chan struct{} // closed by close: ends the idle watcher
}

// served reports whether the emulator serves listeners of this front-end protocol: all four
// of the API (HTTP, HTTPS, TCP, SSL).
func served(l Listener) bool {
	switch l.Protocol {
	case "HTTP", "HTTPS", "TCP", "SSL":
		return true
	}
	return false
}

// Bind binds lb's nodes if they are not bound yet, brings them up to date with listeners,
// zones and set, and returns them. The caller holds the control plane's lock (so lb cannot be
// deleted meanwhile) but no data-plane lock.
func (dp *Plane) Bind(lb LB, listeners []Listener, zones []string, set Settings) ([]*Bound, error) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	rt := dp.runtime(lb)
	if rt == nil {
		return nil, errors.New("the emulator is shutting down")
	}
	rt.bound = true
	if err := dp.sync(rt, listeners, zones, set); err != nil {
		return nil, err
	}
	return slices.Clone(rt.nodes), nil
}

// Sync brings lb's nodes up to date with its listeners, enabled zones and attributes, if they
// were ever bound (control-plane write lock held).
func (dp *Plane) Sync(lb LB, listeners []Listener, zones []string, set Settings) error {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	rt, ok := dp.lbs[lb]
	if !ok {
		return nil
	}
	rt.configure(set)
	if !rt.bound {
		return nil
	}
	return dp.sync(rt, listeners, zones, set)
}

// nodeKey names one node's listener.
type nodeKey struct {
	l    Listener
	zone string
}

// sync closes the nodes no longer wanted and binds the missing ones. The caller holds dp.mu.
func (dp *Plane) sync(rt *lbRuntime, listeners []Listener, zones []string, set Settings) error {
	rt.configure(set)
	have := make(map[nodeKey]*Bound, len(rt.nodes))
	for _, n := range rt.nodes {
		have[nodeKey{n.Listener, n.Zone}] = n
	}
	var nodes []*Bound
	for _, l := range listeners {
		for _, z := range zones {
			k := nodeKey{l, z}
			if n, ok := have[k]; ok {
				nodes = append(nodes, n)
				delete(have, k)
				continue
			}
			n := &Bound{Listener: l, Zone: z, conns: map[*trackedConn]struct{}{}, stop: make(chan struct{})}
			if served(l) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					return err // the nodes bound so far stay; the next Sync retries the rest
				}
				n.ln, n.Addr = ln, ln.Addr().String()
				dp.serve(rt, n)
			}
			nodes = append(nodes, n)
		}
	}
	for _, gone := range have {
		gone.close()
	}
	rt.nodes = nodes
	return nil
}

// serve starts n's accept loop and idle watcher. The caller holds dp.mu.
func (dp *Plane) serve(rt *lbRuntime, n *Bound) {
	dp.wg.Add(2)
	go func() {
		defer dp.wg.Done()
		dp.watchIdle(rt, n)
	}()
	if p := n.Listener.Protocol; p == "HTTP" || p == "HTTPS" {
		// No ReadHeaderTimeout: the idle watcher closes a connection on which nothing
		// is sent for the idle timeout, as AWS does, and a client sending bytes is not idle.
		n.srv = &http.Server{ //nolint:gosec // see above
			Handler:     dp.httpProxy(rt, n),
			ConnState:   n.connState,
			ConnContext: withConn,
			ErrorLog:    log.New(io.Discard, "", 0),
		}
		var ln net.Listener = trackingListener{n.ln, n}
		if p == "HTTPS" {
			ln = tls.NewListener(ln, dp.serverTLS(rt, n)) // the handshake runs in the server's goroutine
		}
		go func() {
			defer dp.wg.Done()
			_ = n.srv.Serve(ln) // returns when closed
		}()
		return
	}
	go func() {
		defer dp.wg.Done()
		dp.acceptTCP(rt, n)
	}()
}

// close stops n accepting and drops its open connections; it does not wait.
func (n *Bound) close() {
	n.mu.Lock()
	if n.done {
		n.mu.Unlock()
		return
	}
	n.done = true
	close(n.stop)
	n.mu.Unlock()
	switch {
	case n.srv != nil:
		// Close, not Shutdown: the listener or the load balancer is gone, so are its
		// connections. The server's goroutines end on their own and are counted by
		// http.Server, not by wg; Serve returning is what wg waits for.
		_ = n.srv.Close()
	case n.ln != nil:
		_ = n.ln.Close()
	}
	n.mu.Lock()
	for c := range n.conns {
		_ = c.Close()
	}
	n.mu.Unlock()
}

type routeKey struct{}

// idleWait bounds how long a proxied request waits for the back end to start
// answering by the load balancer's idle timeout, as it is when the request is
// sent: "If no data has been sent or received by the time that the idle timeout
// period elapses, the load balancer closes the connection" holds for the
// back-end connection too (docs/sources.md 18), and the client gets 504.
// Once the answer has started, data flows and the front end's idle watcher
// (idle.go) takes over.
type idleWait struct {
	rt   *lbRuntime
	next http.RoundTripper
}

func (w idleWait) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(time.Duration(w.rt.idleTimeout.Load()), func() { cancel(errIdleBackend) })
	res, err := w.next.RoundTrip(req.WithContext(ctx))
	if !timer.Stop() && err != nil {
		cancel(nil)
		return nil, errIdleBackend
	}
	if err != nil {
		cancel(nil)
		return nil, err
	}
	res.Body = cancelOnClose{res.Body, func() { cancel(nil) }}
	return res, nil
}

// errIdleBackend is a back end that sent nothing within the idle timeout: a
// timeout, which the proxy's error handler answers 504.
var errIdleBackend = idleBackendError{}

type idleBackendError struct{}

func (idleBackendError) Error() string {
	return "the back end sent nothing within the load balancer's idle timeout"
}
func (idleBackendError) Timeout() bool   { return true }
func (idleBackendError) Temporary() bool { return false }

type cancelOnClose struct {
	io.ReadCloser
	cancel func()
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// httpProxy is an HTTP node's handler: pick a backend per request and proxy to it.
func (dp *Plane) httpProxy(rt *lbRuntime, n *Bound) http.Handler {
	l := n.Listener
	scheme := "http"
	if l.InstanceProtocol == "HTTPS" || l.InstanceProtocol == "SSL" {
		scheme = "https"
	}
	port := strconv.Itoa(l.LoadBalancerPort)
	proxy := &httputil.ReverseProxy{
		Transport: idleWait{rt: rt, next: dp.backendTransport},
		Rewrite: func(pr *httputil.ProxyRequest) {
			rte, _ := pr.In.Context().Value(routeKey{}).(*routed)
			pr.SetURL(&url.URL{Scheme: scheme, Host: rte.addr})
			pr.Out.Host = pr.In.Host // ELB passes the client's Host header through
			pr.SetXForwarded()
			pr.Out.Header.Set("X-Forwarded-Port", port)
		},
		ModifyResponse: func(res *http.Response) error {
			rte, _ := res.Request.Context().Value(routeKey{}).(*routed)
			if c := dp.stickyCookie(rt, rte.route, rte.sticky, res); c != "" {
				res.Header.Add("Set-Cookie", c)
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			status := http.StatusBadGateway
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				status = http.StatusGatewayTimeout
			}
			dp.cfg.Log.Debug("data plane: backend failed", "err", err)
			w.WriteHeader(status)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer answering(r.Context())()
		rte, sticky, ok := dp.pick(rt, n, r)
		switch {
		case !ok:
			http.Error(w, "503 Service Unavailable: no registered instance is InService", http.StatusServiceUnavailable)
			return
		case rte.addr == nothingListening:
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		ctx, end := dp.begin(rt, rte.key, r.Context())
		defer end()
		proxy.ServeHTTP(w, r.WithContext(context.WithValue(ctx, routeKey{}, &routed{rte, sticky})))
	})
}

// routed is what the proxy's hooks need to know of a request's route.
type routed struct {
	route
	sticky Stickiness
}

// acceptTCP serves a TCP node until it is closed.
func (dp *Plane) acceptTCP(rt *lbRuntime, n *Bound) {
	useTLS := n.Listener.InstanceProtocol == "SSL" || n.Listener.InstanceProtocol == "HTTPS"
	for {
		c, err := n.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // closed
		}
		tc := newTrackedConn(c)
		if !n.track(tc) {
			_ = c.Close()
			return
		}
		dp.wg.Add(1)
		go func() {
			defer dp.wg.Done()
			defer n.forget(tc)
			client := net.Conn(tc)
			if n.Listener.Protocol == "SSL" {
				if client = dp.handshake(rt, n, tc); client == nil {
					return
				}
			}
			dp.proxyConn(rt, n, client, useTLS)
		}()
	}
}

// track adds an accepted connection to n's, unless n is closed.
func (n *Bound) track(c *trackedConn) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.done {
		return false
	}
	n.conns[c] = struct{}{}
	return true
}

// forget closes c and drops it from n's connections.
func (n *Bound) forget(c *trackedConn) {
	n.mu.Lock()
	delete(n.conns, c)
	n.mu.Unlock()
	_ = c.Close()
}

// proxyConn pipes one client connection to a backend chosen now. Each direction is copied
// until EOF and then half-closed, so request/response protocols that rely on shutdown(SHUT_WR)
// work; the connection ends when both directions have.
func (dp *Plane) proxyConn(rt *lbRuntime, n *Bound, client net.Conn, useTLS bool) {
	rte, _, ok := dp.pick(rt, n, nil)
	if !ok || rte.addr == nothingListening {
		return // no InService member, or one with nothing listening: close, as ELB does
	}
	ctx, end := dp.begin(rt, rte.key, context.Background())
	defer end()
	d := dp.backendDialer(10 * time.Second) // allowed networks only (dial.go)
	var backend net.Conn
	var err error
	if useTLS {
		backend, err = (&tls.Dialer{NetDialer: d, Config: insecureTLS()}).DialContext(ctx, "tcp", rte.addr)
	} else {
		backend, err = d.DialContext(ctx, "tcp", rte.addr)
	}
	if err != nil {
		dp.cfg.Log.Debug("data plane: backend unreachable", "addr", rte.addr, "err", err)
		return
	}
	defer backend.Close()
	// A cut flight (drain.go) ends the connection both ways.
	stop := context.AfterFunc(ctx, func() {
		_ = backend.Close()
		_ = client.Close()
	})
	defer stop()
	var wg sync.WaitGroup
	wg.Add(2)
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		if _, err := io.Copy(dst, src); err != nil {
			// Not a clean EOF: a side failed or was closed at shutdown. Close both so the
			// other copy ends too instead of waiting on a peer that may never speak.
			_ = dst.Close()
			_ = src.Close()
			return
		}
		if cw, ok := dst.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		} else {
			_ = dst.Close()
		}
	}
	go pipe(backend, client)
	go pipe(client, backend)
	wg.Wait()
}

// insecureTLS is the client TLS configuration toward backends: ELB Classic does not verify
// back-end certificates unless a backend authentication policy says so, and the emulator
// has no such policies.
func insecureTLS() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true} //nolint:gosec // deliberate, see above
}

// Closed reports whether b no longer accepts connections (true for an unserved listener).
// For tests: it blocks while b is open and nobody connects.
func (b *Bound) Closed() bool {
	if b.ln == nil {
		return true
	}
	c, err := b.ln.Accept()
	if c != nil {
		_ = c.Close()
	}
	return err != nil && errors.Is(err, net.ErrClosed)
}
