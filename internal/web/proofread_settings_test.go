package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// goodLists and goodRules are fresh forms for the two parts of 校对设置
// (client.post writes its CSRF token into the form it is given).
func goodLists() url.Values {
	return url.Values{"organs": {"区经信委|区经济和信息化局|机构改革后更名"}, "leaders": {"王伟东|区长、区委副书记"}, "banned": {"绝对领先||广告用语"}}
}

func goodRules() url.Values { return url.Values{"disabled": {"W01", "punctuation"}} }

func (e *env) proofConfig() proofread.Config {
	e.t.Helper()
	var cfg proofread.Config
	if _, err := e.store.Setting(context.Background(), store.ProofreadSettingKey, &cfg); err != nil {
		e.t.Fatal(err)
	}
	return cfg
}

// TestProofreadSettings: the office director keeps the word lists and reads
// the rule switches; the system administrator keeps the switches and reads the
// lists; each save changes only its own part, audited with before and after;
// everyone else is refused.
func TestProofreadSettings(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := context.Background()
	director := e.client()
	director.login("zhuren", demo.Password)
	admin := e.client()
	admin.login("sysadmin", demo.Password)

	// Both find the page in the navigation.
	for who, c := range map[string]*client{"director": director, "sysadmin": admin} {
		if _, body, _ := c.get("/org"); !strings.Contains(body, `href="/settings/proofread"`) {
			t.Errorf("no link to 校对设置 for the %s", who)
		}
	}

	// The office director: the lists editable, the switches read only.
	code, body, _ := director.get("/settings/proofread")
	if code != 200 || !strings.Contains(body, `data-testid="save-lists"`) || strings.Contains(body, `data-testid="save-rules"`) ||
		strings.Contains(body, `data-testid="rule-W01"`) || !strings.Contains(body, `data-testid="rules-readonly"`) || strings.Contains(body, " readonly>") ||
		!strings.Contains(body, "本部署模型：已从 0 份签发公文（0 字）") {
		t.Fatalf("director's page: %d\n%s", code, body)
	}
	// A malformed line is refused with its line number, and the input kept.
	bad := url.Values{"organs": {"区经信委\n"}, "leaders": {"王伟东|区长"}}
	if code, body, _ := director.post("/settings/proofread/lists", bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, "第1行") || !strings.Contains(body, "王伟东|区长") {
		t.Errorf("bad organs: %d", code)
	}
	if code, _, h := director.post("/settings/proofread/lists", goodLists()); code != http.StatusSeeOther {
		t.Fatalf("director saves the lists: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := director.post("/settings/proofread/rules", goodRules()); code != http.StatusForbidden {
		t.Errorf("director changes the rule switches: %d", code)
	}
	cfg := e.proofConfig()
	if len(cfg.Organs) != 1 || cfg.Organs[0].Right != "区经济和信息化局" || len(cfg.Leaders) != 1 || len(cfg.Leaders[0].Titles) != 2 ||
		len(cfg.Banned) != 1 || len(cfg.Disabled) != 0 {
		t.Fatalf("after the director's save: %+v", cfg)
	}

	// The system administrator: the switches editable, the lists read only.
	code, body, _ = admin.get("/settings/proofread")
	if code != 200 || !strings.Contains(body, `data-testid="rule-W01"`) || !strings.Contains(body, `data-testid="save-rules"`) ||
		strings.Contains(body, `data-testid="save-lists"`) || !strings.Contains(body, `data-testid="lists-readonly"`) ||
		!strings.Contains(body, "readonly>区经信委|区经济和信息化局|机构改革后更名") || strings.Count(body, " readonly>") != 3 {
		t.Fatalf("sysadmin's page: %d\n%s", code, body)
	}
	if code, body, _ := admin.post("/settings/proofread/rules", url.Values{"disabled": {"Z99"}}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "未知的校对规则") || !strings.Contains(body, "区经信委|区经济和信息化局") {
		t.Errorf("unknown rule: %d", code)
	}
	if code, _, h := admin.post("/settings/proofread/rules", goodRules()); code != http.StatusSeeOther {
		t.Fatalf("sysadmin saves the switches: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := admin.post("/settings/proofread/lists", url.Values{"organs": {"甲|乙"}}); code != http.StatusForbidden {
		t.Errorf("sysadmin changes the word lists: %d", code)
	}
	cfg = e.proofConfig()
	if len(cfg.Organs) != 1 || len(cfg.Leaders) != 1 || len(cfg.Banned) != 1 || !slices.Equal(cfg.Disabled, []string{"W01", "punctuation"}) {
		t.Fatalf("after the sysadmin's save: %+v", cfg)
	}
	// And the director's next save keeps the switches.
	lists := goodLists()
	lists.Set("banned", "绝对领先||广告用语\n最佳")
	if code, _, _ := director.post("/settings/proofread/lists", lists); code != http.StatusSeeOther {
		t.Fatalf("director saves again: %d", code)
	}
	if cfg = e.proofConfig(); len(cfg.Banned) != 2 || !slices.Equal(cfg.Disabled, []string{"W01", "punctuation"}) {
		t.Fatalf("the director's second save: %+v", cfg)
	}

	// The typo check's sensitivity: the three levels, each with its measured
	// precision and recall, 标准 until one is chosen; the director chooses.
	_, body, _ = director.get("/settings/proofread")
	for _, want := range []string{`value="standard" checked`, `data-testid="sensitivity-strict"`, `data-testid="sensitivity-lenient"`, "严格", "宽松", "查准率 90.3%，查全率 61.2%"} {
		if !strings.Contains(body, want) {
			t.Errorf("director's page lacks %q", want)
		}
	}
	lists.Set("sensitivity", "loud")
	if code, body, _ := director.post("/settings/proofread/lists", lists); code != http.StatusUnprocessableEntity || !strings.Contains(body, "未知的错别字提示灵敏度") {
		t.Errorf("unknown sensitivity: %d", code)
	}
	lists.Set("sensitivity", "lenient")
	if code, _, _ := director.post("/settings/proofread/lists", lists); code != http.StatusSeeOther {
		t.Fatalf("director chooses 宽松: %d", code)
	}
	if cfg = e.proofConfig(); cfg.Sensitivity != proofread.SensitivityLenient || len(cfg.Banned) != 2 {
		t.Fatalf("after choosing 宽松: %+v", cfg)
	}
	if _, body, _ = admin.get("/settings/proofread"); !strings.Contains(body, `value="lenient" checked disabled`) {
		t.Error("the sysadmin does not read the chosen sensitivity")
	}

	// Each save is audited under its own action, before and after.
	for action, n := range map[string]int{"settings.proofread.lists": 3, "settings.proofread.rules": 1} {
		es, err := e.store.ListAudit(ctx, store.AuditFilter{Action: action})
		if err != nil || len(es) != n {
			t.Fatalf("%s: %d entries (%v), want %d", action, len(es), err, n)
		}
		if !strings.Contains(es[0].Detail, `"before":`) || !strings.Contains(es[0].Detail, `"after":`) {
			t.Errorf("%s without before and after: %s", action, es[0].Detail)
		}
	}

	// The director reads what is switched off, in words.
	_, body, _ = director.get("/settings/proofread")
	for _, want := range []string{"区经信委|区经济和信息化局|机构改革后更名", "王伟东|区长、区委副书记", "最佳", `data-testid="off-W01"`, `data-testid="off-punctuation"`, "整类关闭："} {
		if !strings.Contains(body, want) {
			t.Errorf("director's page lacks %q", want)
		}
	}
	_, body, _ = admin.get("/settings/proofread")
	if !strings.Contains(body, `value="W01" checked`) || !strings.Contains(body, `value="punctuation" checked`) {
		t.Error("the sysadmin's page does not show the switches as saved")
	}

	// The deployment's lists apply; the switched-off rules do not fire.
	c := e.client()
	c.login("wenmi", demo.Password)
	_, out, _ := c.call("POST", "/api/v1/proofread", map[string]any{"text": "区经信委己经绝对领先,其它单位跟进。"})
	fs := findingsOf(t, out)
	if f := findingWith(fs, "区经信委"); f == nil || f["category"] != "custom" || f["suggestion"] != "区经济和信息化局" {
		t.Errorf("organ list not applied: %v", fs)
	}
	if findingWith(fs, "绝对领先") == nil {
		t.Errorf("banned phrase not flagged: %v", fs)
	}
	if findingWith(fs, "其它") != nil || findingWith(fs, ",") != nil {
		t.Errorf("switched-off rules fire: %v", fs)
	}
	if findingWith(fs, "己经") == nil {
		t.Errorf("other rules stopped: %v", fs)
	}

	// Everyone else: no link, no page, no save.
	before := e.proofConfig()
	for _, login := range []string{"wenmi", "lingdao", "chengban", "ducha", "jiyao", "secadmin", "auditor"} {
		o := e.client()
		o.login(login, demo.Password)
		if _, body, _ := o.get("/org"); strings.Contains(body, `href="/settings/proofread"`) {
			t.Errorf("%s sees the link", login)
		}
		if code, body, _ := o.get("/settings/proofread"); code != http.StatusForbidden || !strings.Contains(body, "仅限办公室主任") {
			t.Errorf("%s opens 校对设置: %d", login, code)
		}
		if code, _, _ := o.post("/settings/proofread/lists", url.Values{"organs": {"甲|乙"}}); code != http.StatusForbidden {
			t.Errorf("%s saves the lists: %d", login, code)
		}
		if code, _, _ := o.post("/settings/proofread/rules", url.Values{"disabled": {"W03"}}); code != http.StatusForbidden {
			t.Errorf("%s saves the switches: %d", login, code)
		}
	}
	if after := e.proofConfig(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused saves changed the setting: %+v", after)
	}
}

// TestProofreadSettingsConcurrent: the office director and the system
// administrator save at the same moment, round after round; neither save
// undoes the other's, on either store.
func TestProofreadSettingsConcurrent(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		e := newProofEnvOn(t, s, c, false)
		director := e.client()
		director.login("zhuren", demo.Password)
		admin := e.client()
		admin.login("sysadmin", demo.Password)
		rules := []string{"W01", "W03", "punctuation", "number", "P01"}
		for i := range 12 {
			lists := url.Values{"organs": {fmt.Sprintf("旧称%d|新称%d", i, i)}, "csrf": {director.csrf}}
			switches := url.Values{"disabled": {rules[i%len(rules)]}, "csrf": {admin.csrf}}
			var wg sync.WaitGroup
			codes := make([]int, 2)
			for j, p := range []struct {
				c    *client
				path string
				form url.Values
			}{{director, "/settings/proofread/lists", lists}, {admin, "/settings/proofread/rules", switches}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := p.c.http.PostForm(e.srv.URL+p.path, p.form)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					codes[j] = resp.StatusCode
				}()
			}
			wg.Wait()
			if codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther {
				t.Fatalf("round %d: %v", i, codes)
			}
			cfg := e.proofConfig()
			if len(cfg.Organs) != 1 || cfg.Organs[0].Wrong != fmt.Sprintf("旧称%d", i) || !slices.Equal(cfg.Disabled, []string{rules[i%len(rules)]}) {
				t.Fatalf("round %d: one save undid the other: %+v", i, cfg)
			}
		}
	})
}
