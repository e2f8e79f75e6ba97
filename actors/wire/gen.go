// Package wire holds the protobuf types that cross the actor transport.
//
// Regenerate with `make generate` (needs protoc and protoc-gen-go).
package wire

//go:generate protoc --go_out=. --go_opt=paths=source_relative bus.proto
