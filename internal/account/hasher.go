package account

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Hasher runs password hashing with a bound on how many hashes run at once.
// Each argon2id hash holds its memory (DefaultParams.Memory) and a core for
// its duration; without a bound a burst of sign-ins holds a hash's memory per
// request and every one of them waits for all the others. With a bound of
// about the number of cores, memory stays flat (Slots × Memory) and sign-ins
// are served in turn at the machine's full rate. The bound is per process:
// servers sharing a database each have their own cores.
type Hasher struct {
	slots chan struct{}
	// OnHash, if set, is told of each hash: how long it waited for a slot
	// and how long it ran (for metrics).
	OnHash func(wait, run time.Duration)

	dummyOnce sync.Once
	dummy     string
	dummyErr  error
}

// NewHasher returns a hasher running at most slots hashes at once (at least one).
func NewHasher(slots int) *Hasher {
	if slots < 1 {
		slots = 1
	}
	return &Hasher{slots: make(chan struct{}, slots)}
}

// ErrBusy is returned when the caller gave up (its context ended) while
// waiting for a turn to hash.
var ErrBusy = errors.New("登录的人较多，请稍后重试")

func (h *Hasher) run(ctx context.Context, fn func()) error {
	start := time.Now()
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
	}
	defer func() { <-h.slots }()
	got := time.Now()
	fn()
	if h.OnHash != nil {
		h.OnHash(got.Sub(start), time.Since(got))
	}
	return nil
}

// Hash hashes a password with DefaultParams in turn.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	var out string
	var err error
	if rerr := h.run(ctx, func() { out, err = HashPassword(password) }); rerr != nil {
		return "", rerr
	}
	return out, err
}

// Verify checks a password against a stored hash in turn.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	var ok bool
	var err error
	if rerr := h.run(ctx, func() { ok, err = VerifyPassword(hash, password) }); rerr != nil {
		return false, rerr
	}
	return ok, err
}

// VerifyNone does the work of a verification with DefaultParams and reports
// false: a sign-in for a login that does not exist takes as long, and as many
// turns, as one for a login that does.
func (h *Hasher) VerifyNone(ctx context.Context, password string) error {
	h.dummyOnce.Do(func() {
		secret, _, err := NewToken()
		if err != nil {
			h.dummyErr = err
			return
		}
		h.dummy, h.dummyErr = HashPassword(secret)
	})
	if h.dummyErr != nil {
		return h.dummyErr
	}
	_, err := h.Verify(ctx, h.dummy, password)
	return err
}
