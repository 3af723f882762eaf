package seal

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ForOrgans picks the seal each organ presses on a document it signs, in the
// order of organs (the issuers' order, one seal place each): the organ's seal
// in force at t whose registered organ name is the 署名, preferring the
// organ's own seal (党委, then 政府) over an office's or a department's, and
// of those the most recently registered. Missing names the organs that have
// no seal in force; the caller decides what an issue without them means.
func ForOrgans(seals []Seal, organs []string, t time.Time) (chosen []Seal, missing []string) {
	rank := func(k Kind) int { return slices.Index(Kinds(), k) }
	for _, organ := range organs {
		var best *Seal
		for i := range seals {
			s := &seals[i]
			if s.Organ != organ || !s.Active(t) {
				continue
			}
			if best == nil || rank(s.Kind) < rank(best.Kind) || (s.Kind == best.Kind && s.Created.After(best.Created)) {
				best = s
			}
		}
		if best == nil {
			missing = append(missing, organ)
			continue
		}
		chosen = append(chosen, *best)
	}
	return chosen, missing
}

// MissingError is the message for organs without a seal in force.
func MissingError(missing []string) error {
	return fmt.Errorf("机关“%s”没有在用的电子印章，请安全保密管理员在“电子印章”中登记后再分发", strings.Join(missing, "”“"))
}
