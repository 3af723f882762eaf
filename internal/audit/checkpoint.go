package audit

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Checkpoint is a signed statement that the chain's head was entry Seq with
// hash Hash at time At. Written out of the database's reach (a file, a
// remote syslog), it pins everything up to Seq: an entry rewritten or a tail
// deleted afterwards disagrees with it even if the rewriter held the key.
//
// It is signed with an HMAC under the chain's key (domain-separated from the
// entries' MACs), not with a public-key signature: see docs/security.md.
type Checkpoint struct {
	// Format is 1. It comes first in the JSON so that the line can be found
	// in any log that carries it ({"shuniu_audit_checkpoint":1,…}).
	Format int       `json:"shuniu_audit_checkpoint"`
	At     time.Time `json:"at"`
	Seq    int64     `json:"seq"`
	Hash   string    `json:"hash"`
	Server string    `json:"server"` // which server wrote it (host:pid)
	Alg    string    `json:"alg"`
	KeyID  string    `json:"key_id"`
	MAC    string    `json:"mac"`

	Source string `json:"-"` // where it was read from (file:line), for messages
}

// checkpointMarker starts every checkpoint's JSON.
var checkpointMarker = []byte(`{"shuniu_audit_checkpoint":`)

func (k *Key) checkpointMAC(c Checkpoint) string {
	m := newMessage("shuniu/audit-checkpoint/1", c.Seq)
	for _, f := range [...]string{strconv.Itoa(c.Format), c.At.UTC().Format(time.RFC3339Nano), c.Hash, c.Server, c.Alg, c.KeyID} {
		m.field(f)
	}
	out := k.mac(m.b)
	m.free()
	return out
}

func (k *Key) checkpointOK(c Checkpoint) bool {
	return c.Format == 1 && c.Alg == k.alg && hmac.Equal([]byte(k.checkpointMAC(c)), []byte(c.MAC))
}

// SignCheckpoint makes the checkpoint of a head.
func (k *Key) SignCheckpoint(seq int64, hash, server string, at time.Time) Checkpoint {
	c := Checkpoint{Format: 1, At: normalize(at), Seq: seq, Hash: hash, Server: server, Alg: k.alg, KeyID: k.id}
	c.MAC = k.checkpointMAC(c)
	return c
}

// JSON is the checkpoint as one line of JSON, without the newline.
func (c Checkpoint) JSON() []byte {
	b, _ := json.Marshal(c) // plain fields: cannot fail
	return b
}

// ParseCheckpoints reads the checkpoints in r: every line that carries one,
// alone (the JSON lines files) or after a prefix (a syslog server's log).
// Lines without one are skipped; a line that starts one but does not parse
// is an error, since checkpoints are written whole.
func ParseCheckpoints(r io.Reader, source string) ([]Checkpoint, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var out []Checkpoint
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		i := bytes.Index(line, checkpointMarker)
		if i < 0 {
			continue
		}
		var c Checkpoint
		dec := json.NewDecoder(bytes.NewReader(line[i:]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return out, fmt.Errorf("%s:%d: 检查点无法解析：%w", source, n, err)
		}
		if c.Format != 1 {
			return out, fmt.Errorf("%s:%d: 不认识的检查点格式 %d", source, n, c.Format)
		}
		c.Source = fmt.Sprintf("%s:%d", source, n)
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return out, fmt.Errorf("%s: 行过长，不是检查点文件", source)
		}
		return out, fmt.Errorf("%s: %w", source, err)
	}
	return out, nil
}
