# Earshot in a container. DuckDB needs cgo, so the build stage has a C
# toolchain; the final image is a small Debian with the one binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -o /out/earshot ./cmd/earshot

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/earshot --create-home earshot
COPY --from=build /out/earshot /usr/local/bin/earshot
USER earshot
WORKDIR /var/lib/earshot
EXPOSE 8080
ENTRYPOINT ["earshot"]
CMD ["serve", "--config", "/etc/earshot/earshot.yaml"]
