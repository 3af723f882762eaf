package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
	"github.com/shuniu-oa/shuniu/internal/schedule"
)

const buildModelUsage = `用法: shuniu proofread build-model --corpus DIR -o FILE [--order 5] [--min 2,2,2,3,4] [--holdout 500]
       shuniu proofread build-model --db 数据库
  从 DIR 中的语料（*.txt、*.txt.gz，每行一段）统计字符 n 元语言模型，写入 FILE，
  并在 FILE.build.json 中记录语料文件及其 SHA-256、命令和参数，以便逐位重建。
  --db       本部署自己的模型：把数据库（postgres://… 或 SQLite 文件）中已签发的非涉密公文
             一次性计入（此后每份新签发的公文由服务端的后台任务计入）；数据库须已升级到当前版本
  --order    阶数（2–8）
  --min      各阶保留所需的最少出现次数（第 1 项为字符入表的最少次数）
  --holdout  每 N 行留出一行（按行的散列），不参与统计，用于测量误报`

// buildRecord is written beside a model: enough to rebuild it bit for bit.
type buildRecord struct {
	Format   string              `json:"format"`
	Command  string              `json:"command"`
	Order    int                 `json:"order"`
	MinCount []uint32            `json:"min_count"`
	HoldOut  int                 `json:"holdout"`
	Every    int                 `json:"every"`
	Corpus   []charlm.CorpusFile `json:"corpus"`
	Go       string              `json:"go"`
	Arch     string              `json:"arch"`
	Stats    charlm.Stats        `json:"stats"`
	Model    charlm.CorpusFile   `json:"model"`
	Seconds  float64             `json:"seconds"`
}

// runBuildModel is `shuniu proofread build-model`.
func runBuildModel(ctx context.Context, c *cli) int {
	fs := flag.NewFlagSet("build-model", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	corpus := fs.String("corpus", "", "")
	out := fs.String("o", "", "")
	order := fs.Int("order", 5, "")
	minList := fs.String("min", "2,2,2,3,4", "")
	holdOut := fs.Int("holdout", 500, "")
	every := fs.Int("every", 1, "") // prototyping: one line in every N
	db := fs.String("db", "", "")
	if err := fs.Parse(c.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(c.stdout, buildModelUsage)
			return 0
		}
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n%s\n", err, buildModelUsage)
		return 2
	}
	if *db != "" {
		if *corpus != "" || *out != "" || fs.NArg() > 0 {
			fmt.Fprintf(c.stderr, "shuniu proofread build-model: --db 不能与 --corpus、-o 同用\n%s\n", buildModelUsage)
			return 2
		}
		return learnDeployment(ctx, c, *db)
	}
	var mins []uint32
	for _, s := range strings.Split(*minList, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
		if err != nil || v == 0 {
			fmt.Fprintf(c.stderr, "shuniu proofread build-model: --min 须为逗号分隔的正整数：%q\n", *minList)
			return 2
		}
		mins = append(mins, uint32(v))
	}
	if *corpus == "" || *out == "" || fs.NArg() > 0 || *every < 1 {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: 须给出 --corpus 与 -o\n%s\n", buildModelUsage)
		return 2
	}
	// The counts of the whole corpus take about 2–3 GB; a soft limit makes
	// the collector work harder rather than let the heap double.
	debug.SetMemoryLimit(3 << 30)
	start := time.Now()
	bar := newProgressBar(c.stderr)
	rec := buildRecord{Format: "SNCLM02", Command: "shuniu proofread build-model " + strings.Join(c.args, " "),
		Order: *order, MinCount: mins, HoldOut: *holdOut, Every: *every, Go: runtime.Version(), Arch: runtime.GOARCH}
	files, err := charlm.CorpusFiles(*corpus)
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n", err)
		return 2
	}
	rec.Corpus = files
	b, err := charlm.NewBuilder(charlm.Options{Order: *order, MinCount: mins, Progress: bar.stage})
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n", err)
		return 2
	}
	var total, before int64
	for _, f := range files {
		total += f.Bytes
	}
	for _, f := range files {
		n := 0
		err := charlm.ReadCorpusFile(filepath.Join(*corpus, f.Name), *holdOut, func(line string) {
			if n++; (n-1)%*every == 0 {
				b.AddParagraph(line)
			}
		}, func(done int64) { bar.stage("读取语料", before+done, total) })
		if err != nil {
			fmt.Fprintf(c.stderr, "\nshuniu proofread build-model: %v\n", err)
			return 1
		}
		before += f.Bytes
		if ctx.Err() != nil {
			return 1
		}
	}
	if err := writeModelFile(ctx, *out, b, &rec); err != nil {
		fmt.Fprintf(c.stderr, "\nshuniu proofread build-model: %v\n", err)
		return 1
	}
	rec.Seconds = time.Since(start).Round(time.Second).Seconds()
	bar.done()
	js, _ := json.MarshalIndent(rec, "", "  ")
	if err := os.WriteFile(*out+".build.json", append(js, '\n'), 0o644); err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "%s: %d 字节，%d 个 n 元组（各阶 %v），%s\n", *out, rec.Model.Bytes, sum(rec.Stats.Kept), rec.Stats.Kept,
		time.Since(start).Round(time.Second))
	return 0
}

func sum(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// writeModelFile writes the model to a temporary file beside path and
// renames it into place, so a failed build leaves no half file.
func writeModelFile(ctx context.Context, path string, b *charlm.Builder, rec *buildRecord) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".charlm-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	st, err := b.Write(ctx, io.MultiWriter(tmp, h))
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if err != nil {
		return err
	}
	rec.Stats = st
	rec.Model = charlm.CorpusFile{Name: filepath.Base(path), Bytes: st.Bytes, SHA256: hex.EncodeToString(h.Sum(nil))}
	return os.Rename(tmp.Name(), path)
}

// progressBar draws a stage's progress on one line of the terminal (or
// prints each stage once when stderr is not a terminal).
type progressBar struct {
	w      io.Writer
	tty    bool
	last   string
	lastAt time.Time
	pct    int
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, tty: ok && isatty.IsTerminal(f.Fd())}
}

func (p *progressBar) stage(name string, done, total int64) {
	pct := 0
	if total > 0 {
		pct = int(done * 100 / total)
	}
	if !p.tty {
		if name != p.last {
			fmt.Fprintf(p.w, "%s …\n", name)
			p.last = name
		}
		return
	}
	if name == p.last && pct == p.pct && time.Since(p.lastAt) < time.Second {
		return
	}
	p.last, p.pct, p.lastAt = name, pct, time.Now()
	n := pct / 5
	fmt.Fprintf(p.w, "\r%-12s [%s%s] %3d%%", name, strings.Repeat("#", n), strings.Repeat(".", 20-n), pct)
}

func (p *progressBar) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// learnDeployment is `build-model --db`: every document of the deployment
// signed off before the background job existed, counted into its model
// under the job's lock (a running server may do the same at once).
func learnDeployment(ctx context.Context, c *cli, db string) int {
	s, err := openDeploymentDB(ctx, db)
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n", err)
		return 2
	}
	defer s.Close()
	start := time.Now()
	bar := newProgressBar(c.stderr)
	n, err := schedule.LearnIssued(ctx, s, func(done, total int) { bar.stage("计入已签发公文", int64(done), int64(total)) })
	bar.done()
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n", err)
		return 1
	}
	ids, err := s.ProofreadChunkIDs(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread build-model: %v\n", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "本次计入 %d 份已签发公文（模型共 %d 块），%s\n", n, len(ids), time.Since(start).Round(time.Millisecond))
	return 0
}
