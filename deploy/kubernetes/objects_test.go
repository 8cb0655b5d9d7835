package kubernetes

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// The few fields of Kubernetes objects the checks read, named as in the API
// (k8s.io/api would be a large dependency for a test). Unknown fields are
// ignored, so these describe what is checked, not what is allowed.
type object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Data map[string]string `json:"data"`
	Spec json.RawMessage   `json:"spec"`
}

type jobSpec struct {
	Template struct {
		Spec podSpec `json:"spec"`
	} `json:"template"`
}

type podSpec struct {
	RestartPolicy  string      `json:"restartPolicy"`
	InitContainers []container `json:"initContainers"`
	Containers     []container `json:"containers"`
	Volumes        []volume    `json:"volumes"`
}

type container struct {
	Name            string   `json:"name"`
	Image           string   `json:"image"`
	ImagePullPolicy string   `json:"imagePullPolicy"`
	RestartPolicy   *string  `json:"restartPolicy"`
	Command         []string `json:"command"`
	Args            []string `json:"args"`
	Env             []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"env"`
	EnvFrom []struct {
		ConfigMapRef *ref `json:"configMapRef"`
		SecretRef    *ref `json:"secretRef"`
	} `json:"envFrom"`
	Ports []struct {
		ContainerPort int `json:"containerPort"`
	} `json:"ports"`
	StartupProbe *struct {
		HTTPGet *struct {
			Path string `json:"path"`
			Port any    `json:"port"` // a number or a port's name
		} `json:"httpGet"`
	} `json:"startupProbe"`
	VolumeMounts    []volumeMount `json:"volumeMounts"`
	SecurityContext *struct {
		ReadOnlyRootFilesystem bool `json:"readOnlyRootFilesystem"`
	} `json:"securityContext"`
}

type ref struct {
	Name     string `json:"name"`
	Optional *bool  `json:"optional"`
}

type volumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
}

type volume struct {
	Name                  string `json:"name"`
	PersistentVolumeClaim *struct {
		ClaimName string `json:"claimName"`
	} `json:"persistentVolumeClaim"`
}

func (c container) mount(path string) *volumeMount {
	for i, m := range c.VolumeMounts {
		if strings.TrimSuffix(m.MountPath, "/") == strings.TrimSuffix(path, "/") {
			return &c.VolumeMounts[i]
		}
	}
	return nil
}

func (p podSpec) volume(name string) *volume {
	for i, v := range p.Volumes {
		if v.Name == name {
			return &p.Volumes[i]
		}
	}
	return nil
}

func (p podSpec) claims() []string {
	var names []string
	for _, v := range p.Volumes {
		if v.PersistentVolumeClaim != nil {
			names = append(names, v.PersistentVolumeClaim.ClaimName)
		}
	}
	return names
}

// objects are the documents of one manifest file.
type objects struct {
	file string
	list []object
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// load reads a multi-document manifest as kubectl apply -f would take it.
func load(t *testing.T, file string) objects {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs := objects{file: file}
	for i, doc := range documentSeparator.Split(string(raw), -1) {
		var o object
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			t.Fatalf("%s: document %d: %v", file, i+1, err)
		}
		if o.Kind == "" && o.APIVersion == "" {
			continue // only comments
		}
		if o.Kind == "" || o.APIVersion == "" || o.Metadata.Name == "" {
			t.Fatalf("%s: document %d lacks apiVersion, kind or metadata.name", file, i+1)
		}
		objs.list = append(objs.list, o)
	}
	return objs
}

func (objs objects) named(kind, name string) *object {
	for i, o := range objs.list {
		if o.Kind == kind && o.Metadata.Name == name {
			return &objs.list[i]
		}
	}
	return nil
}

func (objs objects) only(t *testing.T, kind string) object {
	t.Helper()
	var found []object
	for _, o := range objs.list {
		if o.Kind == kind {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: want one %s, found %d", objs.file, kind, len(found))
	}
	return found[0]
}

// job is the file's one Job, with its pod spec decoded.
func (objs objects) job(t *testing.T) struct{ Spec jobSpec } {
	t.Helper()
	o := objs.only(t, "Job")
	if o.APIVersion != "batch/v1" {
		t.Errorf("%s: Job apiVersion %q, want batch/v1", objs.file, o.APIVersion)
	}
	var j struct{ Spec jobSpec }
	if err := json.Unmarshal(o.Spec, &j.Spec); err != nil {
		t.Fatalf("%s: Job spec: %v", objs.file, err)
	}
	return j
}
