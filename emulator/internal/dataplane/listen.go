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
	"strconv"
	"sync"
	"time"
)

// Listeners that really serve. Each listener of a load balancer accepts on 127.0.0.1 at a port
// the OS picks, bound the first time the listeners are asked for and kept until the load
// balancer is deleted, so the address is stable for the load balancer's life.
//
//   - HTTP listeners reverse-proxy each request to one backend chosen at that moment (so a
//     client reusing its connection is still spread across members), adding X-Forwarded-For,
//     X-Forwarded-Proto and X-Forwarded-Port as ELB does. No backend: 503, as ELB answers
//     when no registered instance is healthy. A backend that cannot be reached: 502 (504 on a
//     timeout), ELB's answers too.
//   - TCP listeners proxy bytes of each connection to one backend chosen when it is accepted.
//     No backend: the connection is closed.
//   - HTTPS and SSL listeners are accepted by the API but not served: the emulator holds no
//     certificates (SSLCertificateId is an ARN it cannot resolve). They have no address.
//
// The back-end protocol follows InstanceProtocol: HTTPS and SSL speak TLS to the backend
// without verifying its certificate (ELB Classic's behaviour without a backend
// authentication policy).

// Bound is one bound listener of a load balancer.
type Bound struct {
	Listener Listener
	Addr     string // where it accepts; "" when not served

	ln  net.Listener
	srv *http.Server // HTTP listeners

	mu    sync.Mutex // TCP listeners: open connections, closed at shutdown
	conns map[net.Conn]struct{}
	done  bool
}

// served reports whether the emulator serves listeners of this front-end protocol.
func served(l Listener) bool { return l.Protocol == "HTTP" || l.Protocol == "TCP" }

// Bind binds lb's listeners if they are not bound yet and returns them. The caller holds the
// control plane's lock (so lb cannot be deleted meanwhile) but no data-plane lock.
func (dp *Plane) Bind(lb LB, listeners []Listener) ([]*Bound, error) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	rt := dp.runtime(lb)
	if rt == nil {
		return nil, errors.New("the emulator is shutting down")
	}
	if rt.listeners != nil {
		return rt.listeners, nil
	}
	var out []*Bound
	for _, l := range listeners {
		ll := &Bound{Listener: l, conns: map[net.Conn]struct{}{}}
		if served(l) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				for _, prev := range out {
					prev.close()
				}
				return nil, err
			}
			ll.ln, ll.Addr = ln, ln.Addr().String()
			dp.serve(rt, ll)
		}
		out = append(out, ll)
	}
	rt.listeners = out
	return out, nil
}

// serve starts ll's accept loop. The caller holds dp.mu.
func (dp *Plane) serve(rt *lbRuntime, ll *Bound) {
	dp.wg.Add(1)
	if ll.Listener.Protocol == "HTTP" {
		ll.srv = &http.Server{
			Handler:           dp.httpProxy(rt, ll.Listener),
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       60 * time.Second, // ELB Classic's default idle timeout
			ErrorLog:          log.New(io.Discard, "", 0),
		}
		go func() {
			defer dp.wg.Done()
			_ = ll.srv.Serve(ll.ln) // returns when closed
		}()
		return
	}
	go func() {
		defer dp.wg.Done()
		dp.acceptTCP(rt, ll)
	}()
}

// close stops ll accepting and drops its open connections; it does not wait.
func (ll *Bound) close() {
	switch {
	case ll.srv != nil:
		// Close, not Shutdown: the load balancer is gone, so are its connections. The
		// server's goroutines end on their own and are counted by http.Server, not by wg;
		// Serve returning is what wg waits for.
		_ = ll.srv.Close()
	case ll.ln != nil:
		_ = ll.ln.Close()
		ll.mu.Lock()
		ll.done = true
		for c := range ll.conns {
			_ = c.Close()
		}
		ll.mu.Unlock()
	}
}

type backendKey struct{}

// httpProxy is an HTTP listener's handler: pick a backend per request and proxy to it.
func (dp *Plane) httpProxy(rt *lbRuntime, l Listener) http.Handler {
	scheme := "http"
	if l.InstanceProtocol == "HTTPS" || l.InstanceProtocol == "SSL" {
		scheme = "https"
	}
	port := strconv.Itoa(l.LoadBalancerPort)
	proxy := &httputil.ReverseProxy{
		Transport: dp.backendTransport,
		Rewrite: func(pr *httputil.ProxyRequest) {
			addr, _ := pr.In.Context().Value(backendKey{}).(string)
			pr.SetURL(&url.URL{Scheme: scheme, Host: addr})
			pr.Out.Host = pr.In.Host // ELB passes the client's Host header through
			pr.SetXForwarded()
			pr.Out.Header.Set("X-Forwarded-Port", port)
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
		addr := dp.pick(rt)
		switch addr {
		case "":
			http.Error(w, "503 Service Unavailable: no registered instance is InService", http.StatusServiceUnavailable)
			return
		case nothingListening:
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), backendKey{}, addr)))
	})
}

// acceptTCP serves a TCP listener until it is closed.
func (dp *Plane) acceptTCP(rt *lbRuntime, ll *Bound) {
	useTLS := ll.Listener.InstanceProtocol == "SSL" || ll.Listener.InstanceProtocol == "HTTPS"
	for {
		c, err := ll.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // closed
		}
		if !ll.track(c) {
			_ = c.Close()
			return
		}
		dp.wg.Add(1)
		go func() {
			defer dp.wg.Done()
			defer ll.untrack(c)
			dp.proxyConn(rt, c, useTLS)
		}()
	}
}

func (ll *Bound) track(c net.Conn) bool {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	if ll.done {
		return false
	}
	ll.conns[c] = struct{}{}
	return true
}

func (ll *Bound) untrack(c net.Conn) {
	ll.mu.Lock()
	delete(ll.conns, c)
	ll.mu.Unlock()
	_ = c.Close()
}

// proxyConn pipes one client connection to a backend chosen now. Each direction is copied
// until EOF and then half-closed, so request/response protocols that rely on shutdown(SHUT_WR)
// work; the connection ends when both directions have.
func (dp *Plane) proxyConn(rt *lbRuntime, client net.Conn, useTLS bool) {
	addr := dp.pick(rt)
	if addr == "" || addr == nothingListening {
		return // no InService member, or one with nothing listening: close, as ELB does
	}
	d := dp.backendDialer(10 * time.Second) // allowed networks only (dial.go)
	var backend net.Conn
	var err error
	if useTLS {
		backend, err = (&tls.Dialer{NetDialer: d, Config: insecureTLS()}).Dial("tcp", addr)
	} else {
		backend, err = d.Dial("tcp", addr)
	}
	if err != nil {
		dp.cfg.Log.Debug("data plane: backend unreachable", "addr", addr, "err", err)
		return
	}
	defer backend.Close()
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
