package search

import (
	_ "embed"
	"strings"
)

//go:embed words.txt
var commonWords string

// CommonWords are common words of 公文 read whole from a query, so that an
// unspaced query splits where a reader would (防汛预案 → 防汛 预案) instead
// of being asked as one exact phrase. The deployment's own names are added
// by the store.
func CommonWords() []string {
	var out []string
	for _, line := range strings.Split(commonWords, "\n") {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			out = append(out, strings.Fields(w)...)
		}
	}
	return out
}
