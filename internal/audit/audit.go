// Package audit defines the append-only, hash-chained audit trail: every state
// change, login, failed login, permission refusal and read of a classified
// object. Each entry carries the hash of the one before it, so any edit,
// deletion or reordering of stored rows breaks the chain at a named entry.
// The hash is keyed (HMAC under a key kept outside the database), so that
// someone who can write the database cannot recompute it after an edit, and
// signed checkpoints of the chain's head, written where the database's
// administrator cannot write, catch a deleted or rewritten tail.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
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
	Hash     string    `json:"hash"`      // hex MAC (legacy entries: SHA-256) of this entry's content, PrevHash, Alg and KeyID
	Alg      string    `json:"alg"`       // how Hash was made: AlgHMACSHA256, or AlgLegacy for entries from before the chain was keyed
	KeyID    string    `json:"key_id"`    // the key's ID (Key.ID); "" for legacy entries
}

// Timestamps are kept at microsecond precision so that both stores give back
// exactly what was hashed.
func normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Seal completes an entry from an event: sequence, time, link and MAC under k.
func Seal(k *Key, prev *Entry, ev Event, at time.Time) Entry {
	e := Entry{Seq: 1, At: normalize(at), Event: ev, Alg: k.alg, KeyID: k.id}
	if prev != nil {
		e.Seq = prev.Seq + 1
		e.PrevHash = prev.Hash
	}
	e.Hash = k.entryMAC(&e)
	return e
}

// content adds what an entry's hash covers after its sequence number.
func (e *Entry) content(m *message) {
	var ts [40]byte
	at := normalize(e.At).AppendFormat(ts[:0], time.RFC3339Nano)
	m.b = binary.BigEndian.AppendUint64(m.b, uint64(len(at)))
	m.b = append(m.b, at...)
	for _, f := range [...]string{e.ActorID, e.ActorName, e.Action, e.ObjectKind, e.ObjectID, string(e.Outcome), e.IP, e.Detail, e.PrevHash} {
		m.field(f)
	}
}

func (k *Key) entryMAC(e *Entry) string {
	m := newMessage("shuniu/audit-entry/1", e.Seq)
	e.content(m)
	m.field(e.Alg)
	m.field(e.KeyID)
	out := k.mac(m.b)
	m.free()
	return out
}

// LegacyHash is the unkeyed SHA-256 an entry was chained with before the
// chain was keyed: anyone can recompute it, which is why it is accepted only
// for the entries before the first keyed one.
func LegacyHash(e Entry) string {
	m := newMessage("", e.Seq)
	e.content(m)
	sum := sha256.Sum256(m.b)
	m.free()
	return hex.EncodeToString(sum[:])
}

// Kind says which check an entry failed.
type Kind string

const (
	KindChain      Kind = "chain"      // the entry's link or hash is wrong: edited, deleted, inserted or reordered
	KindKey        Kind = "key"        // the entry was made with a key this verification does not hold
	KindCheckpoint Kind = "checkpoint" // the entry disagrees with a signed checkpoint, or a checkpoint is bad
)

// BrokenError names the first entry at which the chain fails.
type BrokenError struct {
	Seq    int64
	Kind   Kind
	Reason string
}

func (e *BrokenError) Error() string {
	switch e.Kind {
	case KindKey:
		return fmt.Sprintf("审计密钥不符（第 %d 条）：%s", e.Seq, e.Reason)
	case KindCheckpoint:
		return fmt.Sprintf("审计链在第 %d 条与检查点不符：%s", e.Seq, e.Reason)
	}
	return fmt.Sprintf("审计链在第 %d 条断裂：%s", e.Seq, e.Reason)
}

// Verifier checks a chain entry by entry, in sequence order, without holding it
// in memory: each entry's link and keyed hash, and its agreement with the
// signed checkpoints it was given.
type Verifier struct {
	keys    map[string]*Key
	prev    *Entry
	checked int64
	keyed   bool // a keyed entry has been seen: no legacy entry may follow
	cps     map[int64][]Checkpoint
	last    *Checkpoint // the checkpoint with the highest sequence number
	ncps    int
	foreign []Checkpoint // under keys not held: reported at Finish, after any entry made with such a key
}

// NewVerifier verifies with the given keys (the one in use and any the chain
// used before).
func NewVerifier(keys ...*Key) *Verifier {
	v := &Verifier{keys: map[string]*Key{}, cps: map[int64][]Checkpoint{}}
	for _, k := range keys {
		if k != nil {
			v.keys[k.id] = k
		}
	}
	return v
}

func (v *Verifier) keyNames() string {
	var ids []string
	for id := range v.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return "未配置密钥"
	}
	return "配置的密钥是 " + strings.Join(ids, "、")
}

// AddCheckpoint checks a checkpoint's signature and keeps it for the entries
// to come; a checkpoint that does not verify is an error (the checkpoint
// store was written to by someone without the key). One made with a key not
// held cannot be checked: Finish reports it, unless an entry made with such a
// key is reported first.
func (v *Verifier) AddCheckpoint(c Checkpoint) error {
	k := v.keys[c.KeyID]
	if k == nil {
		v.foreign = append(v.foreign, c)
		return nil
	}
	if !k.checkpointOK(c) {
		return &BrokenError{Seq: c.Seq, Kind: KindCheckpoint, Reason: fmt.Sprintf("检查点 %s 的签名无效（检查点被改动或伪造）", c.Source)}
	}
	v.ncps++
	for _, o := range v.cps[c.Seq] {
		if o.Hash == c.Hash {
			return nil // the same head, from another server or minute: one is enough to check against
		}
	}
	v.cps[c.Seq] = append(v.cps[c.Seq], c)
	if v.last == nil || c.Seq > v.last.Seq {
		cp := c
		v.last = &cp
	}
	return nil
}

// Check verifies the next entry against the previous one, its key and the
// checkpoints at its sequence number.
func (v *Verifier) Check(e Entry) error {
	wantSeq, wantPrev := int64(1), ""
	if v.prev != nil {
		wantSeq, wantPrev = v.prev.Seq+1, v.prev.Hash
	}
	switch {
	case e.Seq != wantSeq:
		return &BrokenError{Seq: wantSeq, Kind: KindChain, Reason: fmt.Sprintf("缺少或多出条目（下一条的序号是 %d）", e.Seq)}
	case e.PrevHash != wantPrev:
		return &BrokenError{Seq: e.Seq, Kind: KindChain, Reason: "前一条的哈希不符（条目被删除、插入或替换）"}
	}
	if e.Alg == AlgLegacy {
		if v.keyed {
			return &BrokenError{Seq: e.Seq, Kind: KindChain, Reason: "带密钥的链中出现了无密钥的旧式条目（条目被改写）"}
		}
		if LegacyHash(e) != e.Hash {
			return &BrokenError{Seq: e.Seq, Kind: KindChain, Reason: "内容与哈希不符（条目被篡改）"}
		}
	} else {
		k := v.keys[e.KeyID]
		switch {
		case k == nil:
			return &BrokenError{Seq: e.Seq, Kind: KindKey, Reason: fmt.Sprintf("此条用密钥 %s 签名，%s（密钥配置错误，或条目被改写）", e.KeyID, v.keyNames())}
		case k.alg != e.Alg:
			return &BrokenError{Seq: e.Seq, Kind: KindChain, Reason: fmt.Sprintf("算法 %q 与密钥 %s 不符（条目被篡改）", e.Alg, e.KeyID)}
		case !hmac.Equal([]byte(k.entryMAC(&e)), []byte(e.Hash)):
			return &BrokenError{Seq: e.Seq, Kind: KindChain, Reason: "内容与哈希不符（条目被篡改）"}
		}
		v.keyed = true
	}
	for _, c := range v.cps[e.Seq] {
		if c.Hash != e.Hash {
			return &BrokenError{Seq: e.Seq, Kind: KindCheckpoint, Reason: fmt.Sprintf("%s 的检查点 %s 记下的此条哈希不同（此条或之前的条目被改写）", c.At.Local().Format("2006-01-02 15:04:05"), c.Source)}
		}
	}
	cp := e
	v.prev = &cp
	v.checked++
	return nil
}

// Finish checks what can be checked only at the end: that no checkpoint
// names an entry beyond the last one (a deleted tail), and that a chain
// holding legacy entries goes on into a keyed entry that seals them.
func (v *Verifier) Finish() error {
	var last int64
	if v.prev != nil {
		last = v.prev.Seq
	}
	if v.last != nil && v.last.Seq > last {
		return &BrokenError{Seq: last + 1, Kind: KindCheckpoint, Reason: fmt.Sprintf("链尾被删除：%s 的检查点 %s 记下链已有 %d 条，现只有 %d 条",
			v.last.At.Local().Format("2006-01-02 15:04:05"), v.last.Source, v.last.Seq, last)}
	}
	if v.prev != nil && !v.keyed {
		return &BrokenError{Seq: last + 1, Kind: KindChain, Reason: "旧式（无密钥）条目之后缺少带密钥的封存条目（链未升级，或带密钥的条目被删改）"}
	}
	if len(v.foreign) > 0 {
		c := v.foreign[0]
		return &BrokenError{Seq: c.Seq, Kind: KindKey, Reason: fmt.Sprintf("检查点 %s 用密钥 %s 签名，%s", c.Source, c.KeyID, v.keyNames())}
	}
	return nil
}

// Checked is the number of entries verified so far.
func (v *Verifier) Checked() int64 { return v.checked }

// Checkpoints is the number of checkpoints given and verified.
func (v *Verifier) Checkpoints() int { return v.ncps }

// LastCheckpoint is the given checkpoint with the highest sequence number.
func (v *Verifier) LastCheckpoint() (Checkpoint, bool) {
	if v.last == nil {
		return Checkpoint{}, false
	}
	return *v.last, true
}
