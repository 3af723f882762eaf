package account

import "time"

// State is what the store keeps about an account's sign-in.
type State struct {
	Failures    int       // consecutive failures
	LockedUntil time.Time // zero: not locked by failures
	Disabled    bool      // locked by an administrator until unlocked
	MustChange  bool      // must change the password before doing anything else
}

// LoginResult is the outcome of a sign-in attempt.
type LoginResult int

const (
	LoginOK LoginResult = iota
	LoginBadPassword
	LoginLocked   // temporarily, after too many failures
	LoginDisabled // by an administrator
)

// Attempt applies a sign-in attempt with the given password check outcome to
// the state at time now and returns the new state and the result. A locked
// account stays locked whatever the password, so that guessing cannot go on.
func (p Policy) Attempt(s State, passwordOK bool, now time.Time) (State, LoginResult) {
	if s.Disabled {
		return s, LoginDisabled
	}
	if now.Before(s.LockedUntil) {
		return s, LoginLocked
	}
	if !passwordOK {
		s.Failures++
		if s.Failures >= p.MaxFailures {
			s.LockedUntil = now.Add(p.LockFor)
			s.Failures = 0
			return s, LoginLocked
		}
		return s, LoginBadPassword
	}
	s.Failures = 0
	s.LockedUntil = time.Time{}
	return s, LoginOK
}

// SessionExpired reports whether a session created at created and last used at
// lastSeen has ended by now.
func (p Policy) SessionExpired(created, lastSeen, now time.Time) bool {
	return now.Sub(lastSeen) >= p.IdleTimeout || now.Sub(created) >= p.MaxSessionAge
}
