package web

import (
	"context"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/access"
)

// What the authorization matrix (matrix_test.go) needs from inside: every
// registered pattern, and the subject and objects as the server builds them
// for access.Decide.

// Patterns lists every pattern registered on the server's mux.
func (srv *Server) Patterns() []string { return slices.Clone(srv.mux.patterns) }

// Subject is the person as the access function sees them.
func (srv *Server) Subject(ctx context.Context, personID string) (access.Subject, error) {
	v, err := srv.loadViewer(ctx, personID)
	if err != nil {
		return access.Subject{}, err
	}
	return v.Subject, nil
}

// DocObject is a document as the access function sees it when personID
// opens it.
func (srv *Server) DocObject(ctx context.Context, personID, docID string) (access.Object, error) {
	rec, err := srv.store.Document(ctx, docID)
	if err != nil {
		return access.Object{}, err
	}
	actor, err := srv.store.Actor(ctx, personID, srv.store.Now())
	if err != nil {
		return access.Object{}, err
	}
	involved, err := srv.store.Involved(ctx, rec.ID, actor)
	if err != nil {
		return access.Object{}, err
	}
	return docObject(rec, personID, involved), nil
}

// ItemObject is a supervision item as the access function sees it when
// personID opens it.
func (srv *Server) ItemObject(ctx context.Context, personID, itemID string) (access.Object, error) {
	v, err := srv.loadViewer(ctx, personID)
	if err != nil {
		return access.Object{}, err
	}
	it, err := srv.store.SupItem(ctx, itemID)
	if err != nil {
		return access.Object{}, err
	}
	return srv.supObjectFor(ctx, v, &it)
}

// PersonObject is a person as the object of an account or delegation decision.
func (srv *Server) PersonObject(ctx context.Context, personID string) (access.Object, error) {
	return srv.personObject(ctx, personID)
}

// APIEnum and APIEnums expose the enumerations the OpenAPI document is
// checked against.
type APIEnum = apiEnum

func APIEnums() []apiEnum { return apiEnums() }
