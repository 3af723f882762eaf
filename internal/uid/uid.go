// Package uid generates the identifiers of every stored object. IDs are made by
// the application, not the database, so rows can be created on any app server
// (and in the demo, deterministically) before they are written.
package uid

import (
	"fmt"

	"github.com/google/uuid"
)

// New returns a UUIDv7 in its canonical text form. Version 7 IDs sort by
// creation time, which keeps B-tree inserts local on both stores.
func New() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the OS random source fails; there is nothing
		// sensible to do but fall back to a random v4.
		return uuid.NewString()
	}
	return id.String()
}

// FromName returns a stable ID derived from a namespace and a name (UUIDv5), for
// seed data that must be the same on every run.
func FromName(namespace, name string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(namespace+"\x00"+name)).String()
}

// Valid reports whether s is a UUID in canonical form.
func Valid(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// Check returns an error naming field when s is not a valid ID.
func Check(field, s string) error {
	if !Valid(s) {
		return fmt.Errorf("%s 不是有效的标识: %q", field, s)
	}
	return nil
}
