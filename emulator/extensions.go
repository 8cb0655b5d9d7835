package emulator

import (
	"encoding/json"
	"net/http"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Emulator extensions: plain JSON endpoints under /_emulator/, outside the AWS protocols, for
// what a test needs and AWS answers by other means (see doc.go).

const listenersPath = "/_emulator/listeners"

// listenerInfo is one listener in the /_emulator/listeners answer.
type listenerInfo struct {
	Protocol         string `json:"protocol"`
	LoadBalancerPort int    `json:"loadBalancerPort"`
	InstanceProtocol string `json:"instanceProtocol"`
	InstancePort     int    `json:"instancePort"`
	// Address is where the listener accepts connections ("" for HTTPS and SSL listeners,
	// which the emulator does not serve; Served says so explicitly).
	Address string `json:"address"`
	Served  bool   `json:"served"`
}

type listenersAnswer struct {
	LoadBalancerName string         `json:"loadBalancerName"`
	Listeners        []listenerInfo `json:"listeners"`
}

// serveExtension answers a request under /_emulator/.
func (h *handler) serveExtension(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case listenersPath:
		h.serveListeners(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such emulator extension: " + wire.Truncate(r.URL.Path, 200)})
	}
}

// serveListeners answers GET /_emulator/listeners?LoadBalancerName=NAME: where each listener
// of the load balancer accepts connections. Asking binds the listeners (the first time), and
// the addresses stay the same until the load balancer is deleted.
func (h *handler) serveListeners(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use GET"})
		return
	}
	name := r.URL.Query().Get("LoadBalancerName")
	if name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "missing query parameter LoadBalancerName"})
		return
	}
	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock() // held while binding, so the load balancer cannot be deleted meanwhile
	lb, ok := st.elb.lbs[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no load balancer named " + wire.Truncate(name, 64)})
		return
	}
	live, err := h.bindListeners(lb)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "binding the listeners of " + name + ": " + err.Error()})
		return
	}
	answer := listenersAnswer{LoadBalancerName: lb.name, Listeners: make([]listenerInfo, len(live))}
	for i, ll := range live {
		answer.Listeners[i] = listenerInfo{
			Protocol:         ll.Listener.Protocol,
			LoadBalancerPort: ll.Listener.LoadBalancerPort,
			InstanceProtocol: ll.Listener.InstanceProtocol,
			InstancePort:     ll.Listener.InstancePort,
			Address:          ll.Addr,
			Served:           ll.Addr != "",
		}
	}
	writeJSON(w, http.StatusOK, answer)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
