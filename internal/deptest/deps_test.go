package deptest

import (
	"os/exec"
	"strings"
	"testing"
)

// banned are import-path fragments no maso binary may link.
var banned = []string{
	// Kubernetes clients and API machinery. (k8s.io/utils and
	// sigs.k8s.io/yaml, small generic libraries embedded etcd uses, are not
	// Kubernetes clients and are allowed.)
	"k8s.io/client-go",
	"k8s.io/api/",
	"k8s.io/apimachinery",
	"k8s.io/kube-openapi",
	"sigs.k8s.io/controller-runtime",
	"sigs.k8s.io/structured-merge-diff",
	"github.com/hashicorp/consul",
	"github.com/go-zookeeper/",
	"github.com/samuel/go-zookeeper",
	"github.com/couchbase/",
	"gopkg.in/couchbase",
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/k8s",
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/consul",
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/zk",
	"github.com/asynkron/protoactor-go/persistence/protocb",
}

func TestBinariesLinkNoBannedPackages(t *testing.T) {
	for _, bin := range []string{"github.com/maso-runtime/maso/cmd/masod", "github.com/maso-runtime/maso/cmd/masoctl"} {
		t.Run(bin[strings.LastIndex(bin, "/")+1:], func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", bin).CombinedOutput()
			if err != nil {
				t.Fatalf("go list -deps %s: %v\n%s", bin, err, out)
			}
			deps := strings.Fields(string(out))
			if len(deps) < 50 {
				t.Fatalf("go list returned only %d packages; the guard would prove nothing", len(deps))
			}
			for _, d := range deps {
				for _, b := range banned {
					if strings.HasPrefix(d, b) {
						t.Errorf("%s links %s (banned: %s)", bin, d, b)
					}
				}
			}
		})
	}
}

// TestGuardDetects makes sure the matcher catches a banned package, so the
// guard above cannot pass vacuously.
func TestGuardDetects(t *testing.T) {
	hit := false
	for _, b := range banned {
		if strings.HasPrefix("k8s.io/client-go/kubernetes", b) {
			hit = true
		}
	}
	if !hit {
		t.Fatal("k8s.io/client-go is not caught by the banned list")
	}
}

// TestProtoactorPinned: protoactor-go has no semver tags, so `go get -u`
// would silently move to an unrelated pseudo-version. The pin is reviewed.
func TestProtoactorPinned(t *testing.T) {
	const want = "v0.0.0-20260118094027-288962e52f3f"
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/asynkron/protoactor-go").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("protoactor-go is %s; the reviewed pin is %s (see docs/protoactor.md)", got, want)
	}
}
