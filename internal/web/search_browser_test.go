package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// searchFixture has wenmi draft a 通知 whose body holds 第一责任人, and
// returns it with a person of another organ.
func searchFixture(t *testing.T, e *env) (store.DocRecord, org.Person) {
	t.Helper()
	wenmi, office := e.byLogin("wenmi"), e.unit("政府办")
	rec, err := e.store.CreateOutgoing(context.Background(), wenmi, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
		Type: document.Notice, Title: "关于压实汛期值守责任的通知",
		Body: document.ParseBody("各镇人民政府：\n一、各单位主要负责同志是本单位汛期值守的第一责任人。"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return rec, e.byLogin("chengban") // 区发改局
}

// TestSearchAPI: the API finds a document by a word of its body with a
// marked snippet and facets, answers an unreadable query with 400 and a
// Chinese message, and shows another organ's person nothing of it.
func TestSearchAPI(t *testing.T) {
	e := newEnv(t)
	rec, outsider := searchFixture(t, e)
	c := e.client()
	c.login("wenmi", demo.Password)
	code, out, _ := c.call("GET", "/api/v1/search?q="+url.QueryEscape("第一责任人 文种:通知"), nil)
	if code != http.StatusOK {
		t.Fatalf("search: %d %v", code, out)
	}
	rs, _ := out["results"].([]any)
	if len(rs) == 0 || rs[0].(map[string]any)["id"] != rec.ID || !strings.Contains(rs[0].(map[string]any)["snippet"].(string), "第一责任人") {
		t.Fatalf("results: %v", out)
	}
	if f := out["facets"].(map[string]any)["doc_type"].([]any); len(f) != 1 || f[0].(map[string]any)["value"] != "通知" {
		t.Errorf("facets: %v", f)
	}
	code, out, _ = c.call("GET", "/api/v1/search?q="+url.QueryEscape("密级:绝密"), nil)
	if code != http.StatusBadRequest || !strings.Contains(out["error"].(string), "密级") {
		t.Errorf("bad query: %d %v", code, out)
	}
	o := e.client()
	o.login(outsider.Login, demo.Password)
	_, body, _ := o.get("/search?q=" + url.QueryEscape("汛期值守"))
	if strings.Contains(body, "汛期值守责任") || !strings.Contains(body, "没有找到") {
		t.Errorf("another organ's person sees the draft")
	}
}

// TestBrowserSearch: the search box on every page leads to the results,
// where the hit's title and the matched words of its body are marked.
func TestBrowserSearch(t *testing.T) {
	e := newEnv(t)
	rec, _ := searchFixture(t, e)
	w := &walker{t: t, ctx: browser(t), e: e}
	w.as(e.byLogin("wenmi"))
	w.do(chromedp.Navigate(e.srv.URL+"/workbench"), chromedp.WaitVisible(`[data-testid=top-search]`),
		chromedp.SendKeys(`[data-testid=top-search]`, "第一责任人\n"),
		chromedp.WaitVisible(`[data-testid=search-hit]`))
	if got := w.text(`[data-testid=search-hit-link]`); got != rec.Doc.Title {
		t.Errorf("hit %q", got)
	}
	if got := w.text(`[data-testid=search-snippet] mark`); !strings.Contains(got, "第一") {
		t.Errorf("snippet mark %q", got)
	}
}

// TestBrowserSearchMaterial: a 会议材料 is found from the search box by the
// words of its file, and its hit opens the 议题's material page.
func TestBrowserSearchMaterial(t *testing.T) {
	e := newDocEnv(t)
	path, devHead, _ := materialFixture(t, e)
	w := &walker{t: t, ctx: browser(t), e: e}
	w.as(devHead)
	w.do(chromedp.Navigate(e.srv.URL+"/workbench"), chromedp.WaitVisible(`[data-testid=top-search]`),
		chromedp.SendKeys(`[data-testid=top-search]`, "污水处理厂二期\n"),
		chromedp.WaitVisible(`[data-testid=search-hit]`))
	if got := w.text(`[data-testid=search-hit-link]`); got != "项目推进情况" {
		t.Errorf("hit %q", got)
	}
	w.do(chromedp.Click(`[data-testid=search-hit-link]`), chromedp.WaitVisible(`[data-testid=material-title]`))
	loc, err := chromedp.Run(w.ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, path) {
		t.Errorf("the hit leads to %s (%v), not %s", loc, err, path)
	}
	if got := w.text(`[data-testid=material-title]`); got != "项目推进情况" {
		t.Errorf("the material page's title %q", got)
	}
	if got := w.text(`[data-testid=material-link]`); got != "汇报.txt" {
		t.Errorf("the material page's version %q", got)
	}
}
