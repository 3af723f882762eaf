package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// The second factor that unlocks a person's signing key (opinion.go): a
// person who has enrolled an authenticator app (TOTP) signs 签发意见 and 批示
// only with a current code. A right code unlocks the key for one signature
// within signingUnlock; the signing transaction consumes it, so a rolled-back
// action leaves it for the next try. Wrong codes are counted per person and
// stop the person's signing after account.TOTPMaxFailures
// (account.TOTPLimit). A person who has not enrolled signs as before: the
// office decides who must (docs/security.md).

// signingUnlock is how long a right code keeps the key unlocked for the
// signature it was given for.
const signingUnlock = 2 * time.Minute

// ErrOTPRequired is the refusal of a signature without a code.
var ErrOTPRequired = errors.New("签发、批示须输入动态口令：请输入手机验证器上显示的 6 位数字")

// OTPStatus is a person's enrolment.
type OTPStatus struct {
	Active  bool      // enrolled: signing needs a code
	Pending bool      // a secret made, not yet confirmed with a code
	Since   time.Time // when the secret was made
}

func otpAAD(personID string) []byte { return []byte("shuniu otp secret\x00" + personID) }

type otpRow struct {
	wrapped     []byte
	masterKeyID string
	active      bool
	lastStep    int64
	limit       account.TOTPLimit
	unlocked    time.Time
	created     time.Time
}

func (c conn) otpRow(ctx context.Context, personID string, lock bool) (otpRow, bool, error) {
	q := `SELECT wrapped_secret, master_key_id, active, last_step, failures, last_failed, unlocked_until, created_at FROM person_otp WHERE person_id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	var r otpRow
	var active, failures, lastFailed, unlocked, created int64
	err := c.queryRow(ctx, q, personID).Scan(&r.wrapped, &r.masterKeyID, &active, &r.lastStep, &failures, &lastFailed, &unlocked, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("otp of %s: %w", personID, err)
	}
	r.active = active != 0
	r.limit = account.TOTPLimit{Failures: int(failures), LastFailed: fromTS(lastFailed)}
	r.unlocked, r.created = fromTS(unlocked), fromTS(created)
	return r, true, nil
}

// OTPStatusOf is the person's enrolment.
func (c conn) OTPStatusOf(ctx context.Context, personID string) (OTPStatus, error) {
	r, ok, err := c.otpRow(ctx, personID, false)
	if err != nil || !ok {
		return OTPStatus{}, err
	}
	return OTPStatus{Active: r.active, Pending: !r.active, Since: r.created}, nil
}

func (s *Store) needMaster() error {
	if s.master == nil {
		return errors.New("本服务器未配置主密钥，不能使用动态口令")
	}
	return nil
}

// StartOTP makes a new secret for the person, pending until ConfirmOTP,
// replacing one pending before. An enrolled person must stop first.
func (s *Store) StartOTP(ctx context.Context, by org.Person) ([]byte, error) {
	if err := s.needMaster(); err != nil {
		return nil, err
	}
	secret, err := account.NewTOTPSecret()
	if err != nil {
		return nil, err
	}
	wrapped, err := s.master.Wrap(secret, otpAAD(by.ID))
	if err != nil {
		return nil, err
	}
	err = s.Write(ctx, func(tx *Tx) error {
		r, ok, err := tx.otpRow(ctx, by.ID, true)
		if err != nil {
			return err
		}
		if ok && r.active {
			return errors.New("动态口令已启用；如需更换手机，请先停用再重新启用")
		}
		_, err = tx.exec(ctx, `INSERT INTO person_otp (person_id, wrapped_secret, master_key_id, active, created_at) VALUES (?, ?, ?, 0, ?)
			ON CONFLICT (person_id) DO UPDATE SET wrapped_secret = excluded.wrapped_secret, master_key_id = excluded.master_key_id, created_at = excluded.created_at`,
			by.ID, wrapped, s.master.ID(), ts(tx.now))
		return err
	})
	if err != nil {
		return nil, err
	}
	return secret, nil
}

// PendingOTPSecret is the secret made by StartOTP and not yet confirmed
// (shown again to its person for the app to read).
func (s *Store) PendingOTPSecret(ctx context.Context, personID string) ([]byte, error) {
	r, ok, err := s.otpRow(ctx, personID, false)
	if err != nil {
		return nil, err
	}
	if !ok || r.active {
		return nil, ErrNotFound
	}
	return s.unwrapOTP(personID, r)
}

func (s *Store) unwrapOTP(personID string, r otpRow) ([]byte, error) {
	if err := s.needMaster(); err != nil {
		return nil, err
	}
	if r.masterKeyID != s.master.ID() {
		return nil, fmt.Errorf("动态口令密钥由主密钥 %s 加密，本服务器的主密钥为 %s", r.masterKeyID, s.master.ID())
	}
	return s.master.Unwrap(r.wrapped, otpAAD(personID))
}

// checkCode checks a typed code for the person in its own transaction, so
// that a wrong one is counted whatever the caller does next. active is the
// enrolment the code is for (confirming: pending; else: active). On a
// right code then runs in the same transaction.
func (s *Store) checkCode(ctx context.Context, by org.Person, code string, active bool, then func(tx *Tx, step int64) error) error {
	if err := s.needMaster(); err != nil {
		return err
	}
	var refused error
	err := s.Write(ctx, func(tx *Tx) error {
		r, ok, err := tx.otpRow(ctx, by.ID, true)
		if err != nil {
			return err
		}
		if !ok || r.active != active {
			if active {
				return errors.New("尚未启用动态口令")
			}
			return errors.New("请先点击“启用动态口令”生成密钥")
		}
		if stopped, until := r.limit.Stopped(tx.now); stopped {
			refused = &account.StoppedError{Until: until}
			return nil
		}
		secret, err := s.unwrapOTP(by.ID, r)
		if err != nil {
			return err
		}
		step, cerr := account.CheckTOTP(secret, code, tx.now, r.lastStep)
		if cerr != nil {
			refused = cerr
			if errors.Is(cerr, account.ErrTOTPFormat) {
				return nil // a typing slip, not a guess
			}
			l := r.limit.Failed(tx.now)
			if _, err := tx.exec(ctx, `UPDATE person_otp SET failures = ?, last_failed = ? WHERE person_id = ?`, l.Failures, ts(l.LastFailed), by.ID); err != nil {
				return err
			}
			if stopped, until := l.Stopped(tx.now); stopped {
				refused = &account.StoppedError{Until: until}
				return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "otp.stopped", ObjectKind: "person", ObjectID: by.ID,
					Detail: jsonString(map[string]any{"failures": l.Failures})})
			}
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE person_otp SET last_step = ?, failures = 0, last_failed = 0 WHERE person_id = ?`, step, by.ID); err != nil {
			return err
		}
		return then(tx, step)
	})
	if err != nil {
		return err
	}
	return refused
}

// ConfirmOTP enrols the pending secret with a code from the app.
func (s *Store) ConfirmOTP(ctx context.Context, by org.Person, code string) error {
	return s.checkCode(ctx, by, code, false, func(tx *Tx, _ int64) error {
		if _, err := tx.exec(ctx, `UPDATE person_otp SET active = 1 WHERE person_id = ?`, by.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "otp.enrol", ObjectKind: "person", ObjectID: by.ID})
	})
}

// RemoveOTP ends the enrolment, with a current code.
func (s *Store) RemoveOTP(ctx context.Context, by org.Person, code string) error {
	return s.checkCode(ctx, by, code, true, func(tx *Tx, _ int64) error {
		if _, err := tx.exec(ctx, `DELETE FROM person_otp WHERE person_id = ?`, by.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "otp.remove", ObjectKind: "person", ObjectID: by.ID})
	})
}

// UnlockSigning checks the person's code before an action that signs: a
// person not enrolled needs none. A right code unlocks the key for the one
// signature the action makes (consumed by signOpinions).
func (s *Store) UnlockSigning(ctx context.Context, by org.Person, code string) error {
	if s.master == nil {
		return nil // nothing is signed
	}
	st, err := s.OTPStatusOf(ctx, by.ID)
	if err != nil || !st.Active {
		return err
	}
	if code == "" {
		return ErrOTPRequired
	}
	return s.checkCode(ctx, by, code, true, func(tx *Tx, _ int64) error {
		_, err := tx.exec(ctx, `UPDATE person_otp SET unlocked_until = ? WHERE person_id = ?`, ts(tx.now.Add(signingUnlock)), by.ID)
		return err
	})
}

// consumeUnlock is signOpinions' check: an enrolled person's key signs only
// when a code unlocked it, and once.
func (tx *Tx) consumeUnlock(ctx context.Context, personID string) error {
	r, ok, err := tx.otpRow(ctx, personID, true)
	if err != nil || !ok || !r.active {
		return err
	}
	if r.unlocked.IsZero() || tx.now.After(r.unlocked) {
		return ErrOTPRequired
	}
	_, err = tx.exec(ctx, `UPDATE person_otp SET unlocked_until = 0 WHERE person_id = ?`, personID)
	return err
}

// ResetOTP removes a person's enrolment (a lost phone): only from the
// command line (`shuniu user otp-reset`), which audits it. No web page does
// it, so the system administrator, who can reset a password, cannot also
// take away a leader's second factor.
func (tx *Tx) ResetOTP(ctx context.Context, personID string) error {
	res, err := tx.exec(ctx, `DELETE FROM person_otp WHERE person_id = ?`, personID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errors.New("该账户未启用动态口令")
	}
	return nil
}
