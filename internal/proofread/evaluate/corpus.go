package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

// cleanCorpus measures false alarms on clean formal text the character
// model never saw: the lines of the corpus files that every build holds
// out (charlm.HeldOut with the same n), cut into sentences, up to perFile
// sentences of 10–80 characters from each file, evenly spread over it.
// Only counts are printed: the news transcripts may be used for
// statistics only.
func cleanCorpus(w io.Writer, c *proofread.Checker, dir string, holdOut, perFile, show int) error {
	files, err := charlm.CorpusFiles(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "False alarms on held-out corpus sentences (one line in %d of each file, never counted into the model):\n\n", holdOut)
	fmt.Fprintln(w, "| file | sentences | with any typo finding | false alarms |")
	fmt.Fprintln(w, "|---|---|---|---|")
	tn, tf := 0, 0
	for _, f := range files {
		var sents []string
		err := charlm.ReadRawLines(filepath.Join(dir, f.Name), func(line string) {
			if charlm.HeldOut(line, holdOut) {
				if line = charlm.Clean(line); line != "" {
					sents = append(sents, sentences(line)...)
				}
			}
		}, nil)
		if err != nil {
			return err
		}
		if len(sents) > perFile {
			step := float64(len(sents)) / float64(perFile)
			picked := make([]string, 0, perFile)
			for i := range perFile {
				picked = append(picked, sents[int(float64(i)*step)])
			}
			sents = picked
		}
		n, flagged := 0, 0
		var shown []string
		for _, s := range sents {
			n++
			for _, fd := range c.Check(s) {
				if fd.Category == proofread.CategoryTypo {
					flagged++
					if len(shown) < show {
						shown = append(shown, fmt.Sprintf("  %s\n    %s → %s (%s)", s, fd.Text, fd.Suggestion, fd.Rule))
					}
					break
				}
			}
		}
		// Held-out corpus lines are no ECSpell test data: they may be looked at.
		for _, l := range shown {
			fmt.Fprintln(os.Stderr, l)
		}
		tn, tf = tn+n, tf+flagged
		fmt.Fprintf(w, "| %s | %d | %d | %.2f%% |\n", f.Name, n, flagged, 100*ratio(flagged, n))
	}
	fmt.Fprintf(w, "| all | %d | %d | %.2f%% |\n\n", tn, tf, 100*ratio(tf, tn))
	return nil
}

// sentences cuts a paragraph after 。！？； and keeps the sentences of
// 10–80 characters that are mostly Han characters.
func sentences(line string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		s := b.String()
		b.Reset()
		rs := []rune(s)
		han := 0
		for _, r := range rs {
			if unicode.Is(unicode.Han, r) {
				han++
			}
		}
		if len(rs) >= 10 && len(rs) <= 80 && han*10 >= len(rs)*8 {
			out = append(out, s)
		}
	}
	for _, r := range line {
		b.WriteRune(r)
		if strings.ContainsRune("。！？；", r) {
			flush()
		}
	}
	flush()
	return out
}
