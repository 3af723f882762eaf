package proofread

import "testing"

// TestConfusionPacked: confusion from the packed readings (charConf) says
// what confusionAll says from charInfo, with the candidate's readings cut
// to the common one (the trigram model loaded) and not.
func TestConfusionPacked(t *testing.T) {
	c := checker(t)
	var chars []rune
	for r := range c.lm.chars {
		if len(c.lm.chars[r].sound) > 0 {
			chars = append(chars, rune(r))
		}
	}
	if len(chars) < 5000 {
		t.Fatalf("only %d characters have readings", len(chars))
	}
	m := *c.lm
	kinds := map[int]int{}
	for _, readings := range []int{0, homReadings} {
		m.candReadings = readings
		for i, a := range chars {
			others := append(append([]rune{}, m.chars[a].shape...), m.chars[a].prone...)
			for k := 1; k <= 40; k++ {
				others = append(others, chars[(i*7919+k*104729)%len(chars)])
			}
			for _, o := range others {
				got, want := m.confusion(a, o), m.confusionAll(a, o)
				if got != want {
					t.Fatalf("confusion(%c, %c) = %d, confusionAll %d (readings %d)", a, o, got, want, readings)
				}
				kinds[got]++
			}
		}
	}
	for _, k := range []int{confNone, confSameSound, confSameSoundOtherTone, confListed, confNearSound, confShape} {
		if kinds[k] == 0 {
			t.Errorf("no pair of kind %d was compared", k)
		}
	}
}
