// Package audit defines the append-only, hash-chained audit trail: every state
// change, login, failed login, permission refusal and read of a classified
// object. Each entry carries the hash of the one before it, so any edit,
// deletion or reordering of stored rows breaks the chain at a named entry.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Outcome says how the recorded attempt ended.
type Outcome string

const (
	OK     Outcome = "ok"     // done
	Denied Outcome = "denied" // refused by access control
	Failed Outcome = "failed" // attempted and failed (e.g. wrong password)
)

// Label is the Chinese name.
func (o Outcome) Label() string {
	switch o {
	case OK:
		return "成功"
	case Denied:
		return "拒绝"
	case Failed:
		return "失败"
	}
	return string(o)
}

// Event is what a caller records; the store turns it into a chained Entry.
type Event struct {
	ActorID    string  `json:"actor_id"`    // person ID; empty for the system or an unknown login
	ActorName  string  `json:"actor_name"`  // name or attempted login, kept verbatim
	Action     string  `json:"action"`      // e.g. "login", "unit.create", "document.read"
	ObjectKind string  `json:"object_kind"` // e.g. "unit", "person", "session"
	ObjectID   string  `json:"object_id"`
	Outcome    Outcome `json:"outcome"`
	IP         string  `json:"ip"`     // where from
	Detail     string  `json:"detail"` // JSON: before/after, reasons; free form
}

// Entry is one stored link of the chain.
type Entry struct {
	Seq      int64     `json:"seq"` // 1, 2, 3… without gaps
	At       time.Time `json:"at"`
	Event              // what happened
	PrevHash string    `json:"prev_hash"` // hex; "" for the first entry
	Hash     string    `json:"hash"`      // hex SHA-256 of this entry's content and PrevHash
}

// Timestamps are kept at microsecond precision so that both stores give back
// exactly what was hashed.
func normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Seal completes an entry from an event: sequence, time, link and hash.
func Seal(prev *Entry, ev Event, at time.Time) Entry {
	e := Entry{Seq: 1, At: normalize(at), Event: ev}
	if prev != nil {
		e.Seq = prev.Seq + 1
		e.PrevHash = prev.Hash
	}
	e.Hash = e.computeHash()
	return e
}

func (e Entry) computeHash() string {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	// Each field is length-prefixed so that no two different entries serialise alike.
	for _, f := range []string{
		normalize(e.At).Format(time.RFC3339Nano), e.ActorID, e.ActorName, e.Action, e.ObjectKind,
		e.ObjectID, string(e.Outcome), e.IP, e.Detail, e.PrevHash,
	} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// BrokenError names the first entry at which the chain fails.
type BrokenError struct {
	Seq    int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("审计链在第 %d 条断裂：%s", e.Seq, e.Reason)
}

// Verifier checks a chain entry by entry, in sequence order, without holding it
// in memory.
type Verifier struct {
	prev    *Entry
	checked int64
}

// Check verifies the next entry against the previous one.
func (v *Verifier) Check(e Entry) error {
	wantSeq, wantPrev := int64(1), ""
	if v.prev != nil {
		wantSeq, wantPrev = v.prev.Seq+1, v.prev.Hash
	}
	switch {
	case e.Seq != wantSeq:
		return &BrokenError{Seq: wantSeq, Reason: fmt.Sprintf("缺少或多出条目（下一条的序号是 %d）", e.Seq)}
	case e.PrevHash != wantPrev:
		return &BrokenError{Seq: e.Seq, Reason: "前一条的哈希不符（条目被删除、插入或替换）"}
	case e.computeHash() != e.Hash:
		return &BrokenError{Seq: e.Seq, Reason: "内容与哈希不符（条目被篡改）"}
	}
	cp := e
	v.prev = &cp
	v.checked++
	return nil
}

// Checked is the number of entries verified so far.
func (v *Verifier) Checked() int64 { return v.checked }
