package web_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// TestBrowserDistrictNotice is issue 12's walk through the pages, on both
// stores and the demo district: 政府办 drafts a 通知 with two attachments in
// the name of 区政府; 区应急管理局's own leader countersigns it; the 分管
// 副区长 (the 领导 login) signs it; it is numbered in the 清政发 series while
// a 政府办 notice of its own goes on in 清政办发; it is issued to three
// bureaus, each of which holds both attachments with the hashes of the
// originals; 区民政局's 局长 hands it to 区残联, whose office handles it; and
// 政府办 archives it with a 档号 that the 归档文件目录's xlsx lists. After each
// step every person who came to hold the work has a message about it in the
// inbox, and each of those who chose the phone channel on 通知设置 got a call
// at a local webhook.
//
// Every step is taken in the pages; no step goes through the API. The test
// reads the store only to check what the pages did (who holds each task,
// each person's inbox, the series' number record, the copies' IDs), and
// calls the scheduler's Tick in place of its timer to send the deliveries.
func TestBrowserDistrictNotice(t *testing.T) {
	c := &clock{}
	opt := store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler), Channels: []string{notify.ChannelWebhook}}
	storetest.ForEach(t, opt, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing, a Monday
		walkDistrictNotice(t, s, c)
	})
}

func walkDistrictNotice(t *testing.T, s *store.Store, c *clock) {
	start := time.Now()
	e := newDistrictEnv(t, s, c)
	ctx := browserFor(t, 3*time.Minute)
	w := &walker{t: t, ctx: ctx, e: e}
	bg := context.Background()

	gov := e.unit("区政府")
	emergency, disabled := e.unit("区应急管理局"), e.unit("区残联")
	receivers := []org.Unit{e.unit("区教育局"), e.unit("区卫健委"), e.unit("区民政局")}
	civil := receivers[2]
	clerk, director, deputy := e.byLogin("wenmi"), e.byLogin("zhuren"), e.byLogin("lingdao")
	title := "清澜区人民政府关于做好2027年元旦春节期间学校医院和养老机构安全工作的通知"
	ownTitle := "清澜区人民政府办公室关于做好2027年元旦春节期间值班值守工作的通知"

	// The two attachments, written to files the browser uploads.
	dir := t.TempDir()
	originals := map[string][]byte{
		"重点场所安全检查表.xlsx": checklistXLSX(t),
		"节日期间值班安排表.txt":  []byte("12月31日 带班领导：何振勇 值班员：方长东\n1月1日 带班领导：何振勇 值班员：方长东\n"),
	}
	var paths []string
	for name, b := range originals {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)

	tr := newTracker(t, e)
	// Each person who will act chooses, on 通知设置, to have new work sent to
	// the phone as well (the deployment's webhook is the local test server).
	walkers := []org.Person{clerk, director, e.head(emergency.ID), deputy}
	for _, u := range []org.Unit{receivers[0], receivers[1], civil, disabled} {
		walkers = append(walkers, e.officeClerks(u)...)
	}
	walkers = append(walkers, e.head(civil.ID), e.officeHead(civil), e.officeHead(disabled))
	for _, p := range walkers {
		if tr.phoned[p.ID] {
			continue
		}
		w.as(p)
		w.do(chromedp.Navigate(e.srv.URL+"/settings/notify"), chromedp.WaitVisible(`[data-testid=notify-prefs]`),
			chromedp.Click(`[data-testid=pref-webhook-task]`), chromedp.Click(`[data-testid=pref-save]`), chromedp.WaitVisible(`.alert`))
		if msg := w.text(`.alert`); !strings.Contains(msg, "已保存") {
			t.Fatalf("%s's 通知设置: %s", p.Name, msg)
		}
		tr.phoned[p.ID] = true
	}

	// 起草: the clerk drafts the 通知 in the name of 区政府, to three bureaus,
	// with two attachments; and a notice of 政府办's own.
	w.as(clerk)
	out := w.draft(title, gov.ID, receivers, paths, districtBody)
	if got := w.text(`[data-testid=issuer]`); got != "以"+gov.Name+"名义" {
		t.Errorf("issuer on the page: %q", got)
	}
	own := w.draft(ownTitle, "", []org.Unit{emergency}, nil, "一、压实值班责任\n二、严格信息报送")
	tr.after("起草", clerk, out, own)
	w.act(out, "draft", "approve", comment("draft", "请审核"))
	tr.after("送审", clerk, out)
	w.act(own, "draft", "approve", comment("draft", "请审核"))
	tr.after("送审（本机关）", clerk, own)

	// 审核 and 核稿 by the office director, who asks 区应急管理局 to countersign.
	w.as(director)
	w.act(out, "unit_review", "approve", comment("unit_review", "同意"))
	tr.after("审核", director, out)
	w.act(out, "review", "approve", comment("review", "核稿无误，请区应急管理局会签"), pick("review", "leader:"+emergency.ID))
	cs := tr.after("核稿", director, out)
	w.act(own, "unit_review", "approve", comment("unit_review", "同意"))
	tr.after("审核（本机关）", director, own)
	// 政府办's own notice concerns no other unit: no 会签 is chosen, and it
	// goes straight to 签发.
	w.act(own, "review", "approve", comment("review", "核稿无误，不涉及其他单位"))
	if h := tr.after("核稿（本机关）", director, own); len(h["sign_off"]) == 0 {
		t.Fatalf("without a 会签 the notice is not at 签发: %v", h)
	}

	// 会签: 区应急管理局's own 局长 signs inside his bureau.
	chief := e.head(emergency.ID)
	if h := cs["countersign"]; !slices.ContainsFunc(h, func(p org.Person) bool { return p.ID == chief.ID }) {
		t.Fatalf("会签 held by %v, not by %s", names(h), chief.Name)
	}
	w.as(chief)
	w.act(out, "countersign", "approve", comment("countersign", "同意。请各单位同步做好安全生产检查。"))
	so := tr.after("会签", chief, out)

	// 签发 by the 分管 副区长 — the 领导 login — alone.
	if h := so["sign_off"]; len(h) != 1 || h[0].ID != deputy.ID {
		t.Fatalf("签发 held by %v, want %s alone", names(h), deputy.Name)
	}
	w.as(deputy)
	w.open(out)
	if cs := w.text(`[data-testid=countersigns]`); !strings.Contains(cs, chief.Name) || !strings.Contains(cs, "同意") {
		t.Errorf("the signer does not see the 会签: %q", cs)
	}
	w.act(out, "sign_off", "approve", comment("sign_off", "同意印发。"))
	tr.after("签发", deputy, out)

	// 政府办's own notice is signed by its director.
	w.as(director)
	w.act(own, "sign_off", "approve", comment("sign_off", "同意"))
	tr.after("签发（本机关）", director, own)

	// 编号: 区政府's notice in 清政发, then 政府办's own in 清政办发.
	w.as(clerk)
	w.open(out)
	if opts := w.evalString(`Array.from(document.querySelectorAll("[data-testid=series] option")).map(o => o.value).join(" ")`); !strings.HasPrefix(opts, "清政发") {
		t.Errorf("series offered for 区政府's notice: %q", opts)
	}
	w.act(out, "number", "approve", chromedp.SetValue(inTask("number", `[data-testid=series]`), "清政发"))
	tr.after("编号", clerk, out)
	govNumber := w.text(`[data-testid=doc-number]`)
	w.act(own, "number", "approve")
	tr.after("编号（本机关）", clerk, own)
	ownNumber := w.text(`[data-testid=doc-number]`)
	if want := numberIn(t, s, "清政发", out); govNumber != want {
		t.Errorf("区政府's notice numbered %q, want %q", govNumber, want)
	}
	if want := numberIn(t, s, "清政办发", own); ownNumber != want {
		t.Errorf("政府办's own notice numbered %q, want %q", ownNumber, want)
	}

	// 复核, 印发, 分发.
	w.act(out, "recheck", "approve", comment("recheck", "复核无误"))
	tr.after("复核", clerk, out)
	w.act(out, "print_issue", "approve",
		chromedp.SetValue(inTask("print_issue", `[data-testid=print-date]`), "2026-11-30"),
		chromedp.SetValue(inTask("print_issue", `[data-testid=copies]`), "20"))
	tr.after("印发", clerk, out)
	w.act(out, "distribute", "approve")
	copies, err := s.IncomingFrom(bg, out)
	if err != nil || len(copies) != len(receivers) {
		t.Fatalf("copies: %d %v", len(copies), err)
	}
	in := map[string]string{} // receiving unit → its copy
	var copyIDs []string
	for _, cp := range copies {
		in[cp.UnitID] = cp.ID
		copyIDs = append(copyIDs, cp.ID)
	}
	held := tr.after("分发", clerk, append([]string{out}, copyIDs...)...)

	// Each receiver signs for its copy and finds both attachments, whose
	// bytes hash to the originals', as the page's 校验 confirms.
	for _, u := range receivers {
		id := in[u.ID]
		if id == "" {
			t.Fatalf("%s received nothing", u.Name)
		}
		by := tr.holderOf(held, "sign_for", id)
		w.as(by)
		w.act(id, "sign_for", "approve")
		tr.after("签收 "+u.ShortName, by, id)
		w.checkFiles(id, originals)
		if u.ID != civil.ID {
			continue
		}
		// 区民政局: 登记, 拟办 to the 局长, who hands it to 区残联.
		w.act(id, "register", "approve")
		pr := tr.after("登记 "+u.ShortName, by, id)
		head := e.head(civil.ID)
		proposer := tr.holderOf(pr, "propose", id)
		w.as(proposer)
		w.act(id, "propose", "approve", comment("propose", "拟请局长阅示。"), pick("propose", "person:"+head.ID))
		tr.after("拟办", proposer, id)
		w.as(head)
		w.open(id)
		if !w.eval(`!!document.querySelector('[data-testid="task-instruct"] input[name=next][value="office:` + disabled.ID + `"]')`) {
			t.Fatalf("%s's 批办 does not offer %s", head.Name, disabled.Name)
		}
		w.act(id, "instruct", "approve", comment("instruct", "涉及残疾人托养机构的部分，请区残联牵头落实。"),
			pick("instruct", "office:"+disabled.ID),
			chromedp.Click(inTask("instruct", `input[name=lead][value="office:`+disabled.ID+`"]`)))
		hd := tr.after("批办", head, id)
		handler := tr.holderOf(hd, "handle", id)
		if !slices.ContainsFunc(e.officeClerks(disabled), func(p org.Person) bool { return p.ID == handler.ID }) && handler.ID != e.officeHead(disabled).ID {
			t.Errorf("承办 by %s, not 区残联's office", handler.Name)
		}
		w.as(handler)
		// Nobody is asked to read it (传阅 is passed over): back to 区民政局 to close.
		w.act(id, "handle", "approve", comment("handle", "已部署托养机构安全检查，12月25日前报结果。"))
		cl := tr.after("承办 区残联", handler, id)
		closer := tr.holderOf(cl, "close", id)
		w.as(closer)
		w.act(id, "close", "approve", comment("close", "已办结"))
		tr.after("办结", closer, id)
	}

	// 归档: 政府办 files the issued notice; the 档号 is on the page and its
	// line in the 归档文件目录 exported as xlsx.
	w.as(clerk)
	w.open(out)
	retention := w.value(inTask("archive", `[data-testid=retention]`))
	w.act(out, "archive", "approve")
	tr.after("归档", clerk, out)
	code := strings.TrimPrefix(w.text(`[data-testid=archive-code]`), "档号 ")
	if !regexp.MustCompile(`^[A-Z0-9]+-2026-` + regexp.QuoteMeta(retention) + `-[A-Z0-9]+-\d{4}$`).MatchString(code) {
		t.Fatalf("档号 %q (保管期限 %s)", code, retention)
	}
	w.do(chromedp.Click(`nav.doclinks a[href^="/archive?"]`), chromedp.WaitVisible(`[data-testid=catalogue]`))
	if page := w.text(`[data-testid=catalogue]`); !strings.Contains(page, title) || !strings.Contains(page, govNumber) {
		t.Errorf("the 归档文件目录 page lacks the notice: %q", page)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("[data-testid=catalogue-xlsx]").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.fetch(href)))
	if err != nil {
		t.Fatalf("the exported catalogue: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 4 && r[0] == code && r[3] == govNumber && r[4] == title {
			found = true
		}
	}
	if !found {
		t.Errorf("the exported 归档文件目录 has no line %s %s: %q", code, govNumber, rows)
	}
	if _, err := s.VerifyAudit(bg); err != nil {
		t.Error(err)
	}
	if tr.rang < tr.steps/2 {
		t.Errorf("only %d webhook calls checked in %d steps", tr.rang, tr.steps)
	}
	t.Logf("the district's notice through the browser in %s: %d steps, %d inbox messages and %d webhook calls checked (%d calls made)",
		time.Since(start).Round(time.Millisecond), tr.steps, tr.told, tr.rang, tr.hook.count())
}

const districtBody = "一、压实安全责任\n（一）各单位主要负责人是本单位节日期间安全工作的第一责任人。\n二、开展隐患排查\n（一）请对照附件开展检查，12月25日前报送检查情况。\n三、严格值班值守"

// draft fills the 起草 form: in the name of issuer ("" for the drafter's own
// organ), to the units, with the files; it returns the new document's ID.
func (w *walker) draft(title, issuer string, to []org.Unit, files []string, body string) string {
	w.t.Helper()
	w.do(chromedp.Navigate(w.e.srv.URL+"/docs/new"), chromedp.WaitVisible(`[data-testid=draft-form]`),
		chromedp.SetValue(`[data-testid=type]`, "notice"),
		chromedp.SetValue(`[data-testid=title]`, title),
		chromedp.SetValue(`[data-testid=body]`, body))
	if issuer != "" {
		w.do(chromedp.SetValue(`[data-testid=issuer]`, issuer))
	}
	for _, u := range to {
		w.do(chromedp.Click(`[data-testid=to-pick] input[value="` + u.ID + `"]`))
	}
	if len(files) > 0 {
		w.do(chromedp.SetUploadFiles(`input[name=files]`, files))
	}
	w.do(chromedp.Click(`[data-testid=create]`), chromedp.WaitVisible(`[data-testid=doc-title]`))
	loc, err := chromedp.Run(w.ctx, chromedp.Location())
	if err != nil {
		w.t.Fatal(err)
	}
	m := docLocation.FindStringSubmatch(strings.TrimPrefix(loc, w.e.srv.URL))
	if m == nil {
		w.t.Fatalf("after drafting %s: %s %s", title, loc, w.text(`main`))
	}
	return m[1]
}

// fetch downloads a link as the signed-in browser does and returns its bytes.
func (w *walker) fetch(href string) []byte {
	w.t.Helper()
	b64, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`fetch(`+jsString(href)+`).then(r => { if (!r.ok) throw new Error("HTTP " + r.status); return r.arrayBuffer() }).then(b => {
		let s = ""; const a = new Uint8Array(b);
		for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
		return btoa(s) })`, chromedp.EvalAwaitPromise))
	if err != nil {
		w.t.Fatalf("download %s: %v", href, err)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkFiles opens a receiver's copy: it lists each original as an
// attachment with the original's SHA-256, the file downloaded from the page
// hashes to it, and the page's 校验 finds every file 一致.
func (w *walker) checkFiles(docID string, originals map[string][]byte) {
	w.t.Helper()
	w.open(docID)
	var rows []struct{ Name, Href, Hash, Kind string }
	js := `Array.from(document.querySelectorAll("[data-testid=files] tbody tr")).map(tr => ({
		Name: tr.cells[0].textContent.trim(), Href: tr.cells[0].querySelector("a").getAttribute("href"),
		Kind: tr.cells[1].textContent.trim(), Hash: tr.cells[3].textContent.trim()}))`
	if err := chromedp.Do(w.ctx, chromedp.WaitVisible(`[data-testid=files]`)); err != nil {
		w.t.Fatalf("%s: no files on the receiver's page: %v", docID, err)
	}
	raw, err := chromedp.Run(w.ctx, chromedp.Evaluate[json.RawMessage](js))
	if err != nil || json.Unmarshal(raw, &rows) != nil {
		w.t.Fatalf("files table: %v %s", err, raw)
	}
	for name, b := range originals {
		sum := sha256.Sum256(b)
		want := hex.EncodeToString(sum[:])
		i := slices.IndexFunc(rows, func(r struct{ Name, Href, Hash, Kind string }) bool { return r.Name == name })
		if i < 0 {
			w.t.Errorf("the receiver's copy lacks %s: %+v", name, rows)
			continue
		}
		r := rows[i]
		if r.Kind != "附件" || r.Hash != want {
			w.t.Errorf("%s on the receiver's page: %s %s, want 附件 %s", name, r.Kind, r.Hash, want)
		}
		got := sha256.Sum256(w.fetch(r.Href))
		if hex.EncodeToString(got[:]) != want {
			w.t.Errorf("%s as downloaded by the receiver hashes to %x, the original to %s", name, got, want)
		}
	}
	w.do(chromedp.Click(`[data-testid=verify]`), chromedp.WaitVisible(`[data-testid=check]`))
	checks, err := chromedp.Run(w.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("[data-testid=check]")).map(c => c.textContent.trim())`))
	if err != nil || len(checks) < len(originals) {
		w.t.Fatalf("校验: %v %v", checks, err)
	}
	for _, c := range checks {
		if c != "一致" {
			w.t.Errorf("校验 on the receiver's page: %v", checks)
			break
		}
	}
}

// checklistXLSX is a small real workbook, the first attachment.
func checklistXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{{"序号", "检查场所", "检查内容", "责任人"}, {1, "学校食堂", "消防通道、燃气设施", ""}, {2, "养老机构", "电气线路、应急照明", ""}} {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// numberIn is the doc number the series' record gives the document: the
// series' latest, one after the one before it (each series counts on its own,
// gap-free).
func numberIn(t *testing.T, s *store.Store, series, docID string) string {
	t.Helper()
	evs, err := s.NumberEvents(context.Background(), series, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 || evs[len(evs)-1].DocID != docID || evs[len(evs)-1].Seq != len(evs) {
		t.Fatalf("the %s series does not end with the document, gap-free: %+v", series, evs)
	}
	return fmt.Sprintf("%s〔2026〕%d号", series, len(evs))
}

// newDistrictEnv serves the demo district seeded into s, with a data
// directory for the attachments.
func newDistrictEnv(t *testing.T, s *store.Store, c *clock) *env {
	t.Helper()
	d := demo.NewDistrict(c.now())
	if err := demo.Seed(context.Background(), s, d); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, srv: ts, web: h, store: s, clock: c, d: d}
}

// officeClerks are the people who keep a unit's documents (its 文书).
func (e *env) officeClerks(u org.Unit) []org.Person {
	var out []org.Person
	for _, a := range e.d.Roles {
		if (a.Role == org.RoleClerk || a.Role == org.RoleConfidentialClerk) && (a.UnitID == u.ID || e.parentOf(a.UnitID) == u.ID) {
			out = append(out, e.person(a.PersonID))
		}
	}
	return out
}

// officeHead is the head of a unit's office (its 办公室主任).
func (e *env) officeHead(u org.Unit) org.Person {
	for _, a := range e.d.Roles {
		if a.Role == org.RoleOfficeDirector && (a.UnitID == u.ID || e.parentOf(a.UnitID) == u.ID) {
			return e.person(a.PersonID)
		}
	}
	e.t.Fatalf("%s has no office head", u.Name)
	return org.Person{}
}

func (e *env) parentOf(unitID string) string {
	for _, u := range e.d.Units {
		if u.ID == unitID {
			return u.ParentID
		}
	}
	return ""
}

func names(ps []org.Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// tracker checks, after each step, that everyone who came to hold work was
// told of it: in the inbox, and at the webhook for those who chose it.
type tracker struct {
	t      *testing.T
	e      *env
	actors map[string]route.Actor // person ID → as the route sees them
	seen   map[string]bool        // "doc:task" already checked
	phoned map[string]bool        // people who chose the webhook for new work
	hook   *hookServer
	runner *schedule.Runner
	steps  int
	told   int // inbox messages checked
	rang   int // webhook calls checked
}

func newTracker(t *testing.T, e *env) *tracker {
	ctx := context.Background()
	tr := &tracker{t: t, e: e, actors: map[string]route.Actor{}, seen: map[string]bool{}, phoned: map[string]bool{}, hook: &hookServer{secret: "district-secret"}}
	for _, p := range e.d.People {
		a, err := e.store.Actor(ctx, p.ID, e.store.Now())
		if err != nil {
			t.Fatal(err)
		}
		tr.actors[p.ID] = a
	}
	srv := httptest.NewServer(tr.hook)
	t.Cleanup(srv.Close)
	tr.runner = &schedule.Runner{Store: e.store, Worker: "test", Log: slog.New(slog.DiscardHandler), Channels: map[string]notify.Channel{
		notify.ChannelWebhook: notify.Webhook{URL: srv.URL, Secret: tr.hook.secret, Format: notify.FormatJSON}}}
	return tr
}

var anyID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// after checks a step done by by on the documents: each task opened on them
// since the last check has, for every person who holds it but the one who
// acted, a message in their inbox naming no ID, and a webhook call to their
// phone if they chose one. It returns the new tasks' holders by step key.
func (tr *tracker) after(label string, by org.Person, docs ...string) map[string][]org.Person {
	tr.t.Helper()
	ctx := context.Background()
	s := tr.e.store
	tr.steps++
	if err := tr.runner.Tick(ctx); err != nil {
		tr.t.Fatalf("%s: delivery: %v", label, err)
	}
	out := map[string][]org.Person{}
	opened, active := 0, 0
	for _, docID := range docs {
		in, err := s.Instance(ctx, docID)
		if err != nil {
			tr.t.Fatal(err)
		}
		if in.Status == route.Active {
			active++
		}
		for _, task := range in.OpenTasks() {
			k := fmt.Sprintf("%s:%d", docID, task.ID)
			if tr.seen[k] {
				continue
			}
			tr.seen[k] = true
			opened++
			step := in.Template.Steps[task.Step]
			var holders []org.Person
			for _, p := range tr.e.d.People {
				a := tr.actors[p.ID]
				if a.Matches(task.Assignee) || slices.ContainsFunc(a.Delegations, func(d route.Principal) bool { return d.Matches(task.Assignee) }) {
					holders = append(holders, p)
				}
			}
			if len(holders) == 0 {
				tr.t.Fatalf("%s: nobody holds %s (%+v)", label, step.Name, task.Assignee)
			}
			out[step.Key] = append(out[step.Key], holders...)
			for _, p := range holders {
				if p.ID == by.ID {
					continue
				}
				m, ok := tr.message(p, docID, task.ID)
				if !ok {
					tr.t.Errorf("%s: %s holds %s but has no message about it", label, p.Name, step.Name)
					continue
				}
				if anyID.MatchString(m.Subject + m.Body) {
					tr.t.Errorf("%s: %s's message shows an ID: %s %s", label, p.Name, m.Subject, m.Body)
				}
				tr.told++
				if tr.phoned[p.ID] {
					if !tr.hook.called(m.Key, p.Phone) {
						tr.t.Errorf("%s: no webhook call to %s (%s) for %s", label, p.Name, p.Phone, step.Name)
					}
					tr.rang++
				}
			}
		}
	}
	if opened == 0 && active > 0 {
		tr.t.Errorf("%s: no new work on a document still under way", label)
	}
	return out
}

// message is p's inbox message about the task (keys are
// doc:<doc>:<seq>:<task>:<kind>:<person>).
func (tr *tracker) message(p org.Person, docID string, task int) (store.InboxItem, bool) {
	items, err := tr.e.store.Inbox(context.Background(), p.ID, false, 500)
	if err != nil {
		tr.t.Fatal(err)
	}
	for _, m := range items {
		parts := strings.Split(m.Key, ":")
		if len(parts) == 6 && parts[0] == "doc" && parts[1] == docID && parts[3] == fmt.Sprint(task) && parts[5] == p.ID && m.Link == "/docs/"+docID {
			return m, true
		}
	}
	return store.InboxItem{}, false
}

// holderOf is one of the people holding the step on the document, whom the
// walk signs in as: the first in the district's order.
func (tr *tracker) holderOf(held map[string][]org.Person, step, docID string) org.Person {
	tr.t.Helper()
	for _, p := range held[step] {
		a := tr.actors[p.ID]
		items, err := tr.e.store.OpenTasksFor(context.Background(), a, 200)
		if err != nil {
			tr.t.Fatal(err)
		}
		for _, it := range items {
			if it.Doc.ID == docID {
				return p
			}
		}
	}
	tr.t.Fatalf("nobody holds %s on %s", step, docID)
	return org.Person{}
}

// hookServer is the deployment's webhook: it checks each call's signature and
// keeps the deliveries.
type hookServer struct {
	secret string
	mu     sync.Mutex
	got    []notify.Delivery
}

func (h *hookServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	mac := hmac.New(sha256.New, []byte(h.secret))
	mac.Write(b)
	if r.Header.Get("X-Shuniu-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var d notify.Delivery
	if err := json.Unmarshal(b, &d); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.got = append(h.got, d)
	h.mu.Unlock()
}

func (h *hookServer) called(key, phone string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.ContainsFunc(h.got, func(d notify.Delivery) bool { return d.Key == key && d.Address == phone })
}

func (h *hookServer) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}
