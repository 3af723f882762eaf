package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	var prev *Entry
	at := time.Date(2026, 11, 29, 8, 0, 0, 123456789, time.UTC)
	for i := 0; i < n; i++ {
		e := Seal(prev, Event{ActorID: "p", ActorName: "张三", Action: "login", Outcome: OK, IP: "127.0.0.1", Detail: `{"n":1}`}, at.Add(time.Duration(i)*time.Second))
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func verify(es []Entry) error {
	var v Verifier
	for _, e := range es {
		if err := v.Check(e); err != nil {
			return err
		}
	}
	return nil
}

func TestChain(t *testing.T) {
	good := chain(5)
	if err := verify(good); err != nil {
		t.Fatal(err)
	}
	if good[0].At.Nanosecond()%1000 != 0 {
		t.Error("time not truncated to microseconds")
	}
	tests := []struct {
		name    string
		mutate  func([]Entry) []Entry
		wantSeq int64
	}{
		{"edited detail", func(es []Entry) []Entry { es[2].Detail = `{"n":2}`; return es }, 3},
		{"edited actor", func(es []Entry) []Entry { es[0].ActorName = "李四"; return es }, 1},
		{"deleted entry", func(es []Entry) []Entry { return append(es[:1], es[2:]...) }, 2},
		{"swapped", func(es []Entry) []Entry { es[1], es[2] = es[2], es[1]; return es }, 2},
		{"rehashed edit", func(es []Entry) []Entry {
			es[3].Outcome = Denied
			es[3].Hash = es[3].computeHash()
			return es
		}, 5},
	}
	for _, tt := range tests {
		es := tt.mutate(append([]Entry(nil), good...))
		err := verify(es)
		var be *BrokenError
		if !errors.As(err, &be) {
			t.Errorf("%s: not caught: %v", tt.name, err)
			continue
		}
		if be.Seq != tt.wantSeq {
			t.Errorf("%s: broken at %d, want %d (%v)", tt.name, be.Seq, tt.wantSeq, err)
		}
	}
}
