package emulator

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// Emulator extensions: plain JSON endpoints under /_emulator/, outside the AWS protocols, for
// what a test needs and AWS answers by other means (see doc.go).

const (
	listenersPath = "/_emulator/listeners"
	usagePath     = "/_emulator/usage"
)

// listenerInfo is one listener in the /_emulator/listeners answer.
type listenerInfo struct {
	Protocol         string `json:"protocol"`
	LoadBalancerPort int    `json:"loadBalancerPort"`
	InstanceProtocol string `json:"instanceProtocol"`
	InstancePort     int    `json:"instancePort"`
	// Address is where the node of the first enabled zone accepts the listener's
	// connections (every protocol is served, HTTPS and SSL with TLS terminated with the
	// listener's server certificate; "" and Served false only for a listener the emulator
	// could not bind). Nodes lists every zone's node, as AWS's DNS name answers one
	// address per enabled zone: a client spreading its requests over them sees the load
	// balancer as a client of AWS does.
	Address string     `json:"address"`
	Served  bool       `json:"served"`
	Nodes   []nodeInfo `json:"nodes"`
}

// nodeInfo is where one zone's node of a listener accepts connections.
type nodeInfo struct {
	Zone    string `json:"zone"`
	Address string `json:"address"`
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
	case usagePath:
		h.serveUsage(w, r)
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
	answer := listenersAnswer{LoadBalancerName: lb.name, Listeners: []listenerInfo{}}
	byPort := map[int]int{} // LoadBalancerPort -> index in answer.Listeners
	for _, n := range live {
		i, ok := byPort[n.Listener.LoadBalancerPort]
		if !ok {
			i = len(answer.Listeners)
			byPort[n.Listener.LoadBalancerPort] = i
			answer.Listeners = append(answer.Listeners, listenerInfo{
				Protocol:         n.Listener.Protocol,
				LoadBalancerPort: n.Listener.LoadBalancerPort,
				InstanceProtocol: n.Listener.InstanceProtocol,
				InstancePort:     n.Listener.InstancePort,
				Address:          n.Addr,
				Served:           n.Addr != "",
				Nodes:            []nodeInfo{},
			})
		}
		if n.Addr != "" {
			answer.Listeners[i].Nodes = append(answer.Listeners[i].Nodes, nodeInfo{Zone: n.Zone, Address: n.Addr})
		}
	}
	writeJSON(w, http.StatusOK, answer)
}

// serveUsage answers GET /_emulator/usage: the instances, load balancers and API calls the
// emulator has been asked for since it started, counted as AWS bills them (usage.go), so that
// a run at AWS's timings tells what it would cost on AWS (make bench-aws-timings).
func (h *handler) serveUsage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "use GET"})
		return
	}
	writeJSON(w, http.StatusOK, h.usage(time.Now()))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
