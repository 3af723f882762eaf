package charlm

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// CorpusFile is one file of a corpus as the build record names it.
type CorpusFile struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// CorpusFiles lists the corpus files of dir (*.txt and *.txt.gz, by name)
// with their sizes and hashes.
func CorpusFiles(dir string) ([]CorpusFile, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []CorpusFile
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".txt") || strings.HasSuffix(n, ".txt.gz")) {
			continue
		}
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		size, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		out = append(out, CorpusFile{Name: n, Bytes: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	slices.SortFunc(out, func(a, b CorpusFile) int { return strings.Compare(a.Name, b.Name) })
	if len(out) == 0 {
		return nil, fmt.Errorf("%s 中没有语料文件（*.txt 或 *.txt.gz）", dir)
	}
	return out, nil
}

// HeldOut says whether a corpus line is kept out of every build, one in
// every n (by a hash of the line), so that false alarms can be measured on
// clean text the model has not seen. n ≤ 0 keeps nothing out.
func HeldOut(line string, n int) bool {
	if n <= 0 {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(line))
	return h.Sum32()%uint32(n) == 0
}

var (
	// The news transcripts' editors' credits and source prefix.
	creditRE = regexp.MustCompile(`[（(][^（()）]*(编辑|记者)[：:][^（()）]*[）)]`)
	sourceRE = regexp.MustCompile(`^中国网络电视台消息[（(]新闻联播[）)][：:]`)
)

// Clean drops from a corpus line what is not running text: editors'
// credits, the news source prefix, front-matter lines without any Han
// character. The empty string means the line is dropped.
func Clean(line string) string {
	line = sourceRE.ReplaceAllString(line, "")
	line = creditRE.ReplaceAllString(line, "")
	for _, r := range line {
		if unicode.Is(unicode.Han, r) {
			return line
		}
	}
	return ""
}

// ReadCorpusFile passes every cleaned line of a corpus file (gzip or
// plain) that is not held out to add. progress, if set, is told the bytes
// of the file read so far.
func ReadCorpusFile(path string, holdOut int, add func(string), progress func(done int64)) error {
	return ReadRawLines(path, func(line string) {
		if HeldOut(line, holdOut) {
			return
		}
		if line = Clean(line); line != "" {
			add(line)
		}
	}, progress)
}

// ReadRawLines passes every line of a corpus file (gzip or plain) to f as
// it is.
func ReadRawLines(path string, f func(string), progress func(done int64)) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	var r io.Reader = &countingReader{r: fh, progress: progress}
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer z.Close()
		r = z
	}
	if err := eachLine(r, f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}
