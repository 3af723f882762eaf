package audit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func testKey(t testing.TB, b byte) *Key {
	t.Helper()
	k, err := NewKey(AlgHMACSHA256, bytes.Repeat([]byte{b}, KeyBytes))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var t0 = time.Date(2026, 11, 29, 8, 0, 0, 123456789, time.UTC)

func ev(i int) Event {
	return Event{ActorID: "p", ActorName: "张三", Action: "login", Outcome: OK, IP: "127.0.0.1", Detail: `{"n":` + string(rune('0'+i%10)) + `}`}
}

// legacyChain makes n entries as the chain was made before it was keyed.
func legacyChain(n int) []Entry {
	var out []Entry
	for i := 0; i < n; i++ {
		e := Entry{Seq: int64(i + 1), At: normalize(t0.Add(time.Duration(i) * time.Second)), Event: ev(i)}
		if i > 0 {
			e.PrevHash = out[i-1].Hash
		}
		e.Hash = LegacyHash(e)
		out = append(out, e)
	}
	return out
}

// extend appends n entries keyed with k.
func extend(k *Key, es []Entry, n int) []Entry {
	for i := 0; i < n; i++ {
		var prev *Entry
		if len(es) > 0 {
			prev = &es[len(es)-1]
		}
		es = append(es, Seal(k, prev, ev(len(es)), t0.Add(time.Duration(len(es))*time.Second)))
	}
	return es
}

func verify(keys []*Key, cps []Checkpoint, es []Entry) error {
	v := NewVerifier(keys...)
	for _, c := range cps {
		if err := v.AddCheckpoint(c); err != nil {
			return err
		}
	}
	for _, e := range es {
		if err := v.Check(e); err != nil {
			return err
		}
	}
	return v.Finish()
}

func TestChain(t *testing.T) {
	k, other := testKey(t, 1), testKey(t, 2)
	good := extend(k, nil, 6)
	if err := verify([]*Key{k}, nil, good); err != nil {
		t.Fatal(err)
	}
	if good[0].At.Nanosecond()%1000 != 0 {
		t.Error("time not truncated to microseconds")
	}
	if good[0].Alg != AlgHMACSHA256 || good[0].KeyID != k.ID() || k.ID() == other.ID() || len(k.ID()) != 16 {
		t.Errorf("entry records alg %q key %q (key %q)", good[0].Alg, good[0].KeyID, k.ID())
	}
	// The legacy chain as it was, then sealed by keyed entries.
	migrated := extend(k, legacyChain(3), 3)
	cp := k.SignCheckpoint(4, good[3].Hash, "s1", t0)
	tests := []struct {
		name     string
		base     []Entry
		keys     []*Key
		cps      []Checkpoint
		mutate   func([]Entry) []Entry
		wantSeq  int64
		wantKind Kind
	}{
		{"edited detail", good, nil, nil, func(es []Entry) []Entry { es[2].Detail = `{"n":99}`; return es }, 3, KindChain},
		{"edited actor", good, nil, nil, func(es []Entry) []Entry { es[0].ActorName = "李四"; return es }, 1, KindChain},
		{"deleted entry", good, nil, nil, func(es []Entry) []Entry { return append(es[:1], es[2:]...) }, 2, KindChain},
		{"swapped", good, nil, nil, func(es []Entry) []Entry { es[1], es[2] = es[2], es[1]; return es }, 2, KindChain},
		{"edited alg", good, nil, nil, func(es []Entry) []Entry { es[1].Alg = "hmac-sm3"; return es }, 2, KindChain},
		// The insider: edit, then recompute the hash and every later link
		// without the key, as plain SHA-256 or under a guessed key.
		{"edit rehashed as legacy", good, nil, nil, func(es []Entry) []Entry {
			es[3].Outcome = Denied
			return relink(es, 3, func(e Entry) Entry { e.Hash = LegacyHash(e); return e })
		}, 4, KindChain},
		{"edit downgraded to legacy", good, nil, nil, func(es []Entry) []Entry {
			es[3].Outcome = Denied
			return relink(es, 3, func(e Entry) Entry { e.Alg, e.KeyID = AlgLegacy, ""; e.Hash = LegacyHash(e); return e })
		}, 4, KindChain},
		{"whole chain downgraded to legacy", good, nil, nil, func(es []Entry) []Entry {
			return relink(es, 0, func(e Entry) Entry { e.Alg, e.KeyID = AlgLegacy, ""; e.Hash = LegacyHash(e); return e })
		}, 7, KindChain},
		{"edit rehashed under a guessed key", good, nil, nil, func(es []Entry) []Entry {
			es[3].Outcome = Denied
			return relink(es, 3, func(e Entry) Entry { e.Hash = other.entryMAC(&e); return e })
		}, 4, KindChain},
		{"edit re-keyed with another key", good, nil, nil, func(es []Entry) []Entry {
			es[3].Outcome = Denied
			return relink(es, 3, func(e Entry) Entry { e.KeyID = other.ID(); e.Hash = other.entryMAC(&e); return e })
		}, 4, KindKey},
		{"wrong key", good, []*Key{other}, nil, func(es []Entry) []Entry { return es }, 1, KindKey},
		// Someone holding the key rewrites entry 3 and everything after:
		// the checkpoint of entry 4 disagrees.
		{"rewrite under the key, checkpointed", good, nil, []Checkpoint{cp}, func(es []Entry) []Entry {
			es[2].Outcome = Denied
			return relink(es, 2, func(e Entry) Entry { e.Hash = k.entryMAC(&e); return e })
		}, 4, KindCheckpoint},
		{"tail deleted after a checkpoint", good, nil, []Checkpoint{cp}, func(es []Entry) []Entry { return es[:2] }, 3, KindCheckpoint},
		{"forged checkpoint", good, nil, []Checkpoint{func() Checkpoint { c := cp; c.Seq = 5; return c }()}, func(es []Entry) []Entry { return es }, 5, KindCheckpoint},
		{"checkpoint under another key", good, nil, []Checkpoint{other.SignCheckpoint(4, good[3].Hash, "s1", t0)}, func(es []Entry) []Entry { return es }, 4, KindKey},
		// Migrated chains: legacy entries verify as they were, only before
		// the keyed entries that seal them.
		{"legacy edited and rehashed", migrated, nil, nil, func(es []Entry) []Entry {
			es[1].Outcome = Denied
			relink(es[:3], 1, func(e Entry) Entry { e.Hash = LegacyHash(e); return e })
			return es // the keyed entries as they were
		}, 4, KindChain},
		{"legacy edited, seal relinked", migrated, nil, nil, func(es []Entry) []Entry {
			es[1].Outcome = Denied
			relink(es[:3], 1, func(e Entry) Entry { e.Hash = LegacyHash(e); return e })
			es[3].PrevHash = es[2].Hash
			return es
		}, 4, KindChain},
		{"unsealed legacy chain", legacyChain(3), nil, nil, func(es []Entry) []Entry { return es }, 4, KindChain},
		{"legacy after keyed", migrated, nil, nil, func(es []Entry) []Entry {
			return append(es, legacyNext(es[len(es)-1]))
		}, 7, KindChain},
	}
	for _, tt := range tests {
		keys := tt.keys
		if keys == nil {
			keys = []*Key{k}
		}
		es := tt.mutate(append([]Entry(nil), tt.base...))
		err := verify(keys, tt.cps, es)
		var be *BrokenError
		if !errors.As(err, &be) {
			t.Errorf("%s: not caught: %v", tt.name, err)
			continue
		}
		if be.Seq != tt.wantSeq || be.Kind != tt.wantKind {
			t.Errorf("%s: broken at %d (%s), want %d (%s): %v", tt.name, be.Seq, be.Kind, tt.wantSeq, tt.wantKind, err)
		}
	}
	if err := verify([]*Key{k}, nil, migrated); err != nil {
		t.Errorf("migrated chain: %v", err)
	}
	if err := verify([]*Key{k}, []Checkpoint{cp}, good); err != nil {
		t.Errorf("checkpointed chain: %v", err)
	}
	if err := verify([]*Key{k}, nil, nil); err != nil {
		t.Errorf("empty chain: %v", err)
	}
	// The same head from several servers is counted, and kept once.
	v := NewVerifier(k)
	for _, c := range []Checkpoint{cp, k.SignCheckpoint(4, good[3].Hash, "s2", t0.Add(time.Minute))} {
		if err := v.AddCheckpoint(c); err != nil {
			t.Fatal(err)
		}
	}
	if v.Checkpoints() != 2 || len(v.cps[4]) != 1 {
		t.Errorf("checkpoints %d, kept %d", v.Checkpoints(), len(v.cps[4]))
	}
}

// relink replaces entries from i on with re(e) after fixing each one's link,
// as someone rewriting the chain from entry i+1 on would.
func relink(es []Entry, i int, re func(Entry) Entry) []Entry {
	for j := i; j < len(es); j++ {
		if j > 0 {
			es[j].PrevHash = es[j-1].Hash
		} else {
			es[j].PrevHash = ""
		}
		es[j] = re(es[j])
	}
	return es
}

func legacyNext(prev Entry) Entry {
	e := Entry{Seq: prev.Seq + 1, At: prev.At.Add(time.Second), Event: ev(1), PrevHash: prev.Hash}
	e.Hash = LegacyHash(e)
	return e
}

func TestBrokenErrorMessages(t *testing.T) {
	for _, tt := range []struct {
		e    BrokenError
		want string
	}{
		{BrokenError{Seq: 3, Kind: KindChain, Reason: "x"}, "审计链在第 3 条断裂"},
		{BrokenError{Seq: 3, Kind: KindKey, Reason: "x"}, "审计密钥不符（第 3 条）"},
		{BrokenError{Seq: 3, Kind: KindCheckpoint, Reason: "x"}, "审计链在第 3 条与检查点不符"},
	} {
		if got := tt.e.Error(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q", tt.e.Kind, got)
		}
	}
}

// BenchmarkSeal is the cost of one link on the write path.
func BenchmarkSeal(b *testing.B) {
	k := testKey(b, 7)
	prev := Seal(k, nil, ev(0), t0)
	e := Event{ActorID: "0190a8a0-0000-7000-8000-000000000001", ActorName: "王秀兰", Action: "route.approve", ObjectKind: "document",
		ObjectID: "0190a8a0-0000-7000-8000-000000000002", Outcome: OK, IP: "10.1.2.3", Detail: `{"step":"review","task":3,"comment":"请审核"}`}
	b.ReportAllocs()
	for b.Loop() {
		prev = Seal(k, &prev, e, t0)
	}
}

func BenchmarkLegacyHash(b *testing.B) {
	e := Seal(testKey(b, 7), nil, ev(0), t0)
	b.ReportAllocs()
	for b.Loop() {
		_ = LegacyHash(e)
	}
}

// TestSM3Switch: the same secret under SM3-HMAC is another key (its own ID
// and MACs, GB/T 32905's SM3 underneath); a chain that switches verifies with
// the key's family and not with either key alone.
func TestSM3Switch(t *testing.T) {
	sha := testKey(t, 7)
	sm3, err := sha.WithAlg(AlgHMACSM3)
	if err != nil || sm3.Alg() != AlgHMACSM3 || sm3.ID() == sha.ID() {
		t.Fatalf("WithAlg: %+v %v", sm3, err)
	}
	if back, _ := sm3.WithAlg(AlgHMACSHA256); back.ID() != sha.ID() {
		t.Fatalf("back to SHA-256: %s, want %s", back.ID(), sha.ID())
	}
	if _, err := sha.WithAlg("hmac-md5"); err == nil {
		t.Fatal("unknown algorithm accepted")
	}
	es := extend(sm3, extend(sha, nil, 3), 3)
	if es[3].Alg != AlgHMACSM3 || es[3].KeyID != sm3.ID() || es[3].Hash == Seal(sha, &es[2], ev(3), t0.Add(3*time.Second)).Hash {
		t.Fatalf("SM3 entry: %+v", es[3])
	}
	if err := verify(sm3.Family(), nil, es); err != nil {
		t.Fatalf("family: %v", err)
	}
	for _, k := range []*Key{sha, sm3} {
		if err := verify([]*Key{k}, nil, es); err == nil {
			t.Errorf("verified with %s alone", k.Alg())
		}
	}
	u, err := UnprotectedKey().WithAlg(AlgHMACSM3)
	if err != nil || !strings.HasPrefix(u.ID(), unprotectedID) {
		t.Fatalf("unprotected under SM3: %v %v", u, err)
	}
}
