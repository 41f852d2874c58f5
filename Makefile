# kubectl seccomp: build, local cluster, demo and tests. Run as root on Debian 12.
SHELL := /bin/bash
.DEFAULT_GOAL := build

VERSION   ?= dev
MODULE    := github.com/kubectl-seccomp/kubectl-seccomp
IMAGE     ?= localhost/kubectl-seccomp-verifier:$(VERSION)
# Debian's coreutils chmod in an image, for the e2e test of what users run.
CHMOD_IMAGE := localhost/kubectl-seccomp-e2e-chmod:dev
BIN       := bin
CACHE     := e2e/.cache
KUBECONFIG_E2E := $(CURDIR)/$(CACHE)/kubeconfig
GO_LDFLAGS := -s -w -X $(MODULE)/pkg/version.Version=$(VERSION)

# Build-time packages: cgo + libseccomp for the static verifier.
BUILD_DEPS := gcc libc6-dev libseccomp-dev pkg-config

.PHONY: krew-validate build plugin verifier image chmod-image deps test unit e2e demo cluster-up cluster-down load-image bench vet clean

build: plugin verifier

deps:
	@hack/install-deps.sh $(BUILD_DEPS)

# The plugin is pure Go so it cross-compiles for every krew platform.
plugin:
	CGO_ENABLED=0 go build -trimpath -ldflags '$(GO_LDFLAGS)' -o $(BIN)/kubectl-seccomp ./cmd/kubectl-seccomp

# The verifier links libseccomp statically and runs in an image holding only itself.
verifier: deps
	CGO_ENABLED=1 go build -trimpath -tags netgo,osusergo \
	  -ldflags '$(GO_LDFLAGS) -X main.version=$(VERSION) -linkmode external -extldflags "-static"' \
	  -o $(BIN)/verifier ./verifier

# The verifier image, built without Docker (go-containerregistry), as a docker-archive.
image: verifier
	go run ./e2e/cmd/build-image -binary $(BIN)/verifier -path /verifier -ref $(IMAGE) -o $(BIN)/verifier-image.tar

# The e2e suite runs coreutils' real `chmod 777 f` under the profiles.
chmod-image:
	go run ./e2e/cmd/build-image -binary /usr/bin/chmod -path /usr/bin/chmod -libs -empty /work/f -ref $(CHMOD_IMAGE) -o $(BIN)/e2e-chmod-image.tar

vet: deps
	go vet ./...

cluster-up:
	e2e/cluster/up.sh

cluster-down:
	e2e/cluster/down.sh

load-image: cluster-up image
	e2e/cluster/load-image.sh $(BIN)/verifier-image.tar

# The main job: a local two-node cluster, the example profile installed and verified.
demo: plugin load-image
	$(BIN)/kubectl-seccomp --kubeconfig $(KUBECONFIG_E2E) install -f examples/deny-chmod.json --image $(IMAGE)
	$(BIN)/kubectl-seccomp --kubeconfig $(KUBECONFIG_E2E) verify --image $(IMAGE)

# Unit tests, then the e2e suite on the real local cluster.
test: unit e2e

unit: vet krew-validate
	go test ./pkg/... ./verifier/... ./manifests/... ./hack/... ./e2e/imagebuild/...

krew-validate:
	hack/validate-krew.sh

# e2e/run.sh brings the cluster up if it is not, runs the Ginkgo suite, and takes the
# cluster down again only if it started it.
e2e: deps plugin image chmod-image
	IMAGE=$(IMAGE) CHMOD_IMAGE=$(CHMOD_IMAGE) e2e/run.sh

# Speed and memory of the verifier engine, measured by benchmarks (see README).
bench: verifier
	KSC_VERIFIER_BIN=$(CURDIR)/$(BIN)/verifier go test -run '^$$' -bench . -benchtime 20x ./verifier/...

clean:
	rm -rf $(BIN)
