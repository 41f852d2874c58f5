# The verifier image, for people who have Docker. Without Docker (as in this repo's
# own tests), `make image` builds the same image with go-containerregistry.
FROM golang:1.26-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libseccomp-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -tags netgo,osusergo \
      -ldflags "-s -w -X main.version=${VERSION} -linkmode external -extldflags -static" \
      -o /verifier ./verifier

# Nothing but the static binary and an empty /tmp: the verifier needs no shell, no
# libc and no API credentials.
FROM scratch
COPY --from=build /verifier /verifier
COPY --from=build --chmod=1777 /tmp /tmp
ENTRYPOINT ["/verifier"]
