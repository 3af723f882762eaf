package account

import (
	"net/netip"
	"time"
)

// State is what the store keeps about an account besides its password.
type State struct {
	Disabled   bool // locked by an administrator until unlocked
	MustChange bool // must change the password before doing anything else
}

// Sign-in limits. Failed sign-ins are counted three ways, each a Counter the
// store keeps per key:
//
//   - an account from one source (login name × client address): after
//     MaxFailures failures within LockFor, that source may not try that
//     account for LockFor, whatever the password;
//   - an account from any source: after AccountFailures, only the sources the
//     account signed in from within UsualFor (its usual sources) may keep
//     trying it until the stop ends;
//   - a source for any account: after SourceFailures, that source may try
//     only the accounts it is a usual source of.
//
// So a stranger guessing at an account, or spraying one password over many,
// stops only themselves, and the holder signing in from their own computer
// is not locked out by someone else's guessing. Counters are kept for login
// names that do not exist exactly as for those that do, so the answers are
// the same for both.
type Counter struct {
	Failures    int       // failures within the window (LockFor after the last)
	LastFailure time.Time //
	LockedUntil time.Time // zero, or the end of a stop
	LastOK      time.Time // the last successful sign-in (pair counters only)
}

// Throttle is the three counters that bear on one sign-in attempt.
type Throttle struct {
	Pair    Counter // this account from this source
	Account Counter // this account from any source
	Source  Counter // any account from this source
}

// UsualFor is how long a source where an account signed in stays one of its
// usual sources.
const UsualFor = 90 * 24 * time.Hour

// AccountFailures and SourceFailures are the thresholds of the wider
// counters: several people's worth of mistakes before anyone is stopped.
func (p Policy) AccountFailures() int { return 4 * p.MaxFailures }

// SourceFailures: see AccountFailures.
func (p Policy) SourceFailures() int { return 4 * p.MaxFailures }

// Stop says which limit refuses an attempt.
type Stop int

const (
	NotStopped    Stop = iota
	StoppedPair        // this source, this account
	StoppedAcct        // this account, from sources it does not usually use
	StoppedSource      // this source, for accounts it does not usually sign in
)

// Usual reports whether the attempt comes from a usual source of the account.
func (t Throttle) Usual(now time.Time) bool {
	return !t.Pair.LastOK.IsZero() && now.Sub(t.Pair.LastOK) < UsualFor
}

// Stopped tells, before any password is checked, whether an attempt may go
// on, and if not, which limit stops it and until when.
func (p Policy) Stopped(t Throttle, now time.Time) (Stop, time.Time) {
	if now.Before(t.Pair.LockedUntil) {
		return StoppedPair, t.Pair.LockedUntil
	}
	if t.Usual(now) {
		return NotStopped, time.Time{}
	}
	if now.Before(t.Account.LockedUntil) {
		return StoppedAcct, t.Account.LockedUntil
	}
	if now.Before(t.Source.LockedUntil) {
		return StoppedSource, t.Source.LockedUntil
	}
	return NotStopped, time.Time{}
}

// fail counts one failure on c, starting afresh when the last was more than a
// window ago, and stops c for LockFor on reaching limit.
func (p Policy) fail(c Counter, limit int, now time.Time) Counter {
	if now.Sub(c.LastFailure) >= p.LockFor {
		c.Failures = 0
	}
	c.Failures++
	c.LastFailure = now
	if c.Failures >= limit {
		c.LockedUntil, c.Failures = now.Add(p.LockFor), 0
	}
	return c
}

// Left is how many more failures this source may make on this account before
// it is stopped: the same for a login that exists and one that does not.
func (p Policy) Left(t Throttle, now time.Time) int {
	n := t.Pair.Failures
	if now.Sub(t.Pair.LastFailure) >= p.LockFor {
		n = 0
	}
	return p.MaxFailures - n
}

// LoginResult is the outcome of a sign-in attempt.
type LoginResult int

const (
	LoginOK          LoginResult = iota
	LoginBadPassword             // wrong password, or no such account: the same answer
	LoginStopped                 // a limit stops this attempt (see Stopped)
	LoginDisabled                // the right password, but an administrator has locked the account
)

// Attempt applies a sign-in attempt whose password check came out
// passwordOK (always false for a login that does not exist) and returns the
// new counters and the result. A stopped attempt changes nothing: it was
// refused before its password was looked at.
func (p Policy) Attempt(t Throttle, s State, passwordOK bool, now time.Time) (Throttle, LoginResult) {
	if stop, _ := p.Stopped(t, now); stop != NotStopped {
		return t, LoginStopped
	}
	if !passwordOK {
		t.Pair = p.fail(t.Pair, p.MaxFailures, now)
		t.Account = p.fail(t.Account, p.AccountFailures(), now)
		t.Source = p.fail(t.Source, p.SourceFailures(), now)
		if stop, _ := p.Stopped(t, now); stop != NotStopped {
			return t, LoginStopped
		}
		return t, LoginBadPassword
	}
	if s.Disabled {
		return t, LoginDisabled
	}
	// The holder's own success clears this source's count and makes it a
	// usual source; the wider counters run on, so that signing in does not
	// wipe out a stranger's failures elsewhere.
	t.Pair = Counter{LastOK: now}
	return t, LoginOK
}

// SessionExpired reports whether a session created at created and last used at
// lastSeen has ended by now.
func (p Policy) SessionExpired(created, lastSeen, now time.Time) bool {
	return now.Sub(lastSeen) >= p.IdleTimeout || now.Sub(created) >= p.MaxSessionAge
}

// SourceKey is the key a client address is counted under: the address
// itself, or for IPv6 its /64, which one subscriber holds whole (counting
// single IPv6 addresses would give a stranger endless fresh sources).
func SourceKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}
