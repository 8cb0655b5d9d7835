package dataplane

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// The idle timeout (docs/sources.md 19): a client connection on which no data was sent or
// received for the load balancer's IdleTimeout is closed by the load balancer. Each node
// keeps its connections with the time of their last byte and, every idleTick, closes those
// idle too long; an HTTP connection with a request being answered is not idle (on AWS a
// backend silent for longer than the timeout gets the client a 504; the emulator does not
// model the back-end side).

const idleTick = 100 * time.Millisecond

// trackedConn is one client connection of a node: reads and writes mark it active.
type trackedConn struct {
	net.Conn
	last atomic.Int64 // unix nanoseconds of the last byte either way
	busy atomic.Bool  // an HTTP request on it is being answered
}

func newTrackedConn(c net.Conn) *trackedConn {
	tc := &trackedConn{Conn: c}
	tc.touch()
	return tc
}

func (c *trackedConn) touch() { c.last.Store(time.Now().UnixNano()) }

func (c *trackedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.touch()
	}
	return n, err
}

func (c *trackedConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.touch()
	}
	return n, err
}

// CloseWrite half-closes a TCP connection (proxyConn relies on it).
func (c *trackedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Conn.Close()
}

func (c *trackedConn) idleSince(now time.Time) time.Duration {
	if c.busy.Load() {
		return 0
	}
	return now.Sub(time.Unix(0, c.last.Load()))
}

// trackingListener hands the node's HTTP server tracked connections.
type trackingListener struct {
	net.Listener
	node *Bound
}

func (l trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := newTrackedConn(c)
	if !l.node.track(tc) {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	return tc, nil
}

// connState forgets a node's closed HTTP connections.
func (b *Bound) connState(c net.Conn, s http.ConnState) {
	if tc, ok := tracked(c); ok && (s == http.StateClosed || s == http.StateHijacked) {
		b.forget(tc)
	}
}

// tracked is the node's tracked connection under c: c itself, or the connection an HTTPS
// listener's TLS runs on.
func tracked(c net.Conn) (*trackedConn, bool) {
	if t, ok := c.(*tls.Conn); ok {
		c = t.NetConn()
	}
	tc, ok := c.(*trackedConn)
	return tc, ok
}

type connKey struct{}

// withConn keeps an HTTP connection in its requests' context (http.Server.ConnContext).
func withConn(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := tracked(c); ok {
		return context.WithValue(ctx, connKey{}, tc)
	}
	return context.WithValue(ctx, connKey{}, c)
}

// answering marks the connection of a request's context busy until the function it answers
// is called: a connection whose request is being answered is not idle.
func answering(ctx context.Context) func() {
	tc, ok := ctx.Value(connKey{}).(*trackedConn)
	if !ok {
		return func() {}
	}
	tc.busy.Store(true)
	return func() {
		tc.touch()
		tc.busy.Store(false)
	}
}

// watchIdle closes b's connections idle longer than the load balancer's idle timeout, until b
// is closed.
func (dp *Plane) watchIdle(rt *lbRuntime, b *Bound) {
	t := time.NewTicker(idleTick)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case now := <-t.C:
			limit := time.Duration(rt.idleTimeout.Load())
			b.mu.Lock()
			for c := range b.conns {
				if c.idleSince(now) > limit {
					_ = c.Close()
				}
			}
			b.mu.Unlock()
		}
	}
}
