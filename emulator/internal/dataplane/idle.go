package dataplane

import (
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// The idle timeout (docs/sources.md 19): a client connection on which no data was sent or
// received for the load balancer's IdleTimeout is closed by the load balancer. Each node
// keeps its connections with the time of their last byte and, every idleTick, closes those
// idle too long; an HTTP connection with a request being answered is not idle (a backend
// slower than the timeout gets 504 on AWS; the emulator does not model that side).

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

// connState keeps a node's HTTP connections' busy flag and forgets closed ones.
func (b *Bound) connState(c net.Conn, s http.ConnState) {
	tc, ok := c.(*trackedConn)
	if !ok {
		return
	}
	switch s {
	case http.StateActive:
		tc.busy.Store(true)
	case http.StateIdle:
		tc.busy.Store(false)
		tc.touch()
	case http.StateClosed, http.StateHijacked:
		b.forget(tc)
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
