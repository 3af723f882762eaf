package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// toNumber takes a 政府办 draft of type typ to 编号 through the store.
func (e *env) toNumber(typ document.DocType, title string) string {
	e.t.Helper()
	ctx := context.Background()
	s := e.store
	office := e.unit("政府办")
	clerk, director := e.byLogin("wenmi"), e.head(office.ID)
	rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{Type: typ, Title: title,
		Body: document.ParseBody("区应急管理局：\n一、总体要求\n二、工作措施")}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, step := range []struct {
		who  string
		next string
	}{{clerk.ID, ""}, {director.ID, ""}, {clerk.ID, director.ID}, {director.ID, ""}, {director.ID, ""}} {
		a, _ := s.Actor(ctx, step.who, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		done := false
		for _, it := range items {
			if it.Doc.ID != rec.ID {
				continue
			}
			req := route.Request{Op: route.Approve, Task: it.TaskID, Comment: "同意"}
			if step.next != "" {
				req.Next = []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: step.next}}}
			}
			if _, err := s.Act(ctx, e.person(step.who), rec.ID, req); err != nil {
				e.t.Fatal(err)
			}
			done = true
			break
		}
		if !done {
			e.t.Fatalf("%s has no task on %s", e.person(step.who).Name, title)
		}
	}
	return rec.ID
}

var seriesOption = regexp.MustCompile(`<option value="([^"]+)" ?[a-z]*>[^<]*〔2026〕（`)

// TestDocNumberSeries: the 编号 form offers the series of the document's
// organ for its type, the usual one first, and the number is taken in the
// one the clerk picks; a 函 is offered only the 函 series.
func TestDocNumberSeries(t *testing.T) {
	e := newDocEnv(t)
	notice := e.toNumber(document.Notice, "清澜区人民政府办公室关于做好寒潮防范工作的紧急通知")
	letter := e.toNumber(document.Letter, "清澜区人民政府办公室关于商请支持防汛物资调拨的函")
	c := e.client()
	c.login("wenmi", demo.Password)

	offered := func(id string) ([]string, string) {
		t.Helper()
		_, body, _ := c.get("/docs/" + id)
		var codes []string
		for _, m := range seriesOption.FindAllStringSubmatch(body, -1) {
			codes = append(codes, m[1])
		}
		m := regexp.MustCompile(`data-testid="task-number">[\s\S]*?name="task" value="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no 编号 task on %s", id)
		}
		return codes, m[1]
	}
	codes, task := offered(notice)
	if strings.Join(codes, " ") != "清政办发 清政办明电" {
		t.Fatalf("series offered for a 通知: %v", codes)
	}
	code, _, _ := c.post("/docs/"+notice+"/act", url.Values{"task": {task}, "op": {"approve"}, "series": {"清政办明电"}})
	if code != http.StatusSeeOther {
		t.Fatalf("number: %d", code)
	}
	if _, body, _ := c.get("/docs/" + notice); !strings.Contains(body, `data-testid="doc-number">清政办明电〔2026〕1号`) {
		t.Errorf("not numbered in the chosen series: %s", firstLines(body, `data-testid="doc-number"`, 1))
	}

	codes, task = offered(letter)
	if strings.Join(codes, " ") != "清政办函" {
		t.Fatalf("series offered for a 函: %v", codes)
	}
	// A series the form did not offer is refused with the ones allowed.
	code, body, _ := c.post("/docs/"+letter+"/act", url.Values{"task": {task}, "op": {"approve"}, "series": {"清政办发"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "可选：清政办函") {
		t.Fatalf("letter into the 文件 series: %d", code)
	}
	if code, _, _ := c.post("/docs/"+letter+"/act", url.Values{"task": {task}, "op": {"approve"}}); code != http.StatusSeeOther {
		t.Fatalf("number the letter: %d", code)
	}
	if _, body, _ := c.get("/docs/" + letter); !strings.Contains(body, `data-testid="doc-number">清政办函〔2026〕1号`) {
		t.Errorf("letter not in the 函 series")
	}
}
