package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"time"
)

// Server is a running emulator started by Start.
type Server struct {
	h    *handler
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
}

// Start validates opts, listens on opts.Addr (default 127.0.0.1:0, a free port) and serves in
// the background until Close.
func Start(opts Options) (*Server, error) {
	h, err := newHandler(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", h.opts.Addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		h:  h,
		ln: ln,
		srv: &http.Server{
			Handler: h,
			// What one request may cost the server: its headers must arrive within 10 s and
			// the whole request (headers and body) within RequestReadTimeout, after which the
			// body's reads fail and the handler answers 400 RequestTimeout without acting on
			// what arrived (handler.go); the body is bounded by wire.MaxBodyBytes (64 MB).
			ReadHeaderTimeout: min(readHeaderTimeout, h.opts.RequestReadTimeout),
			ReadTimeout:       h.opts.RequestReadTimeout,
			// Idle keep-alive connections would otherwise close after ReadTimeout; keep them
			// longer than clients' own idle timeout (aws-sdk-go-v2: 90 s) so that the client,
			// not the server, closes them and no request races a closing connection.
			IdleTimeout: idleTimeout,
			ErrorLog:    nil,
		},
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.log.Error("emulator server stopped", "err", err)
		}
	}()
	h.log.Info("emulator listening", "url", s.URL())
	return s, nil
}

// URL is the base URL clients use as their endpoint, e.g. "http://127.0.0.1:43127".
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops accepting requests and waits for requests in flight, then closes the remaining
// connections. The grace period is short because http.Server.Shutdown also waits for
// connections that were dialled but never used (clients dial speculatively), which would
// otherwise stall every Close for Shutdown's 5 s StateNew allowance. Last it stops the data
// plane (load balancers' listeners, their connections, health checkers) and waits for its
// goroutines.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close() // grace expired: drop what is left
	}
	<-s.done
	// After the API: no request can bind a listener or register a member any more.
	s.h.dp.Close()
	return nil
}

const (
	closeGrace        = 500 * time.Millisecond
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 120 * time.Second
)

// errBodyRead is the answer to a request whose body could not be read in full: 400
// RequestTimeout when it stalled past the read deadline (RequestReadTimeout; S3's code for a
// request not received in time, which the SDKs' standard retryer retries), 400
// IncompleteBody (S3's code for a body shorter than its Content-Length) when it was cut
// short. Nothing of such a request is acted on.
func errBodyRead(err error) *wire.Error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return wire.NewError(http.StatusBadRequest, "RequestTimeout",
			"The request body was not received within the emulator's read timeout; nothing was done.")
	}
	return wire.NewError(http.StatusBadRequest, "IncompleteBody",
		"The request body ended before the number of bytes in Content-Length was received; nothing was done.")
}
