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

// taskOn returns the id of the viewer's open task at a step on the page.
func taskOn(t *testing.T, body, step string) string {
	t.Helper()
	m := regexp.MustCompile(`data-testid="task-` + step + `">[\s\S]*?name="task" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s task on the page", step)
	}
	return m[1]
}

// TestCrossOrganCountersign: at 核稿 the page offers other organs — their
// leader and their office — grouped apart from the office's own people,
// grouped by unit; 会签 sent to 区应急管理局's leader is on his page, and
// when he agrees the document comes back to the organ's 签发.
func TestCrossOrganCountersign(t *testing.T) {
	e := newDocEnv(t)
	office, emergency := e.unit("政府办"), e.unit("区应急管理局")
	id := e.draftToReview(t)
	c := e.client()
	c.login("zhuren", demo.Password)
	_, body, _ := c.get("/docs/" + id)
	for _, want := range []string{
		`<div class="pick-group">` + office.Name + `</div>`,
		`<div class="pick-group">其他机关和单位</div>`,
		`value="leader:` + emergency.ID + `"`,
		`value="office:` + emergency.ID + `"`,
		emergency.Name + "负责人",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the 会签 picker lacks %s", want)
		}
	}
	if strings.Contains(body, `value="leader:`+emergency.ID+`" checked`) {
		t.Fatal("nothing should be chosen yet")
	}
	code, _, _ := c.post("/docs/"+id+"/act", url.Values{"task": {taskOn(t, body, "review")}, "op": {"approve"}, "comment": {"请区应急管理局会签"},
		"next": {"leader:" + emergency.ID}})
	if code != http.StatusSeeOther {
		t.Fatalf("核稿 with 会签 by another organ: %d", code)
	}
	head := e.head(emergency.ID)
	h := e.client()
	h.login(head.Login, demo.Password)
	code, body, _ = h.get("/docs/" + id)
	if code != http.StatusOK {
		t.Fatalf("the other organ's leader cannot open it: %d", code)
	}
	if code, _, _ := h.post("/docs/"+id+"/act", url.Values{"task": {taskOn(t, body, "countersign")}, "op": {"approve"}, "comment": {"同意"}}); code != http.StatusSeeOther {
		t.Fatalf("会签: %d", code)
	}
	rec, err := e.store.Document(context.Background(), id)
	if err != nil || rec.Step != "领导签发" {
		t.Fatalf("after the other organ's 会签: %s %v", rec.Step, err)
	}
}

// draftToReview drafts a 政府办 通知 and takes it to 核稿.
func (e *env) draftToReview(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	s := e.store
	office := e.unit("政府办")
	clerk := e.byLogin("wenmi")
	rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: e.child(office.ID, "秘书科").ID, To: []string{e.towns(1)[0].ID},
		Doc: document.Document{Type: document.Notice, Title: "清澜区人民政府办公室关于做好森林防火工作的通知", Body: document.ParseBody("一、压实责任\n二、抓好落实")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{clerk.ID, e.head(e.child(office.ID, "秘书科").ID).ID} {
		a, _ := s.Actor(ctx, p, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 100)
		for _, it := range items {
			if it.Doc.ID == rec.ID {
				if _, err := s.Act(ctx, e.person(p), rec.ID, route.Request{Op: route.Approve, Task: it.TaskID, Comment: "同意"}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return rec.ID
}

// TestInstructToAnotherUnit: the leader's 批办 offers other units; 承办 by
// 区城市管理局 goes to its office head, who sees it on his page and assigns
// it inside by 转办 to a person of his own bureau, offered under its name.
func TestInstructToAnotherUnit(t *testing.T) {
	e := newDocEnv(t)
	ctx := context.Background()
	s := e.store
	office, city := e.unit("政府办"), e.unit("区城市管理局")
	rec, err := s.RegisterPaper(ctx, e.byLogin("wenmi"), office.ID, document.Document{Type: document.Notice,
		Title: "云泽市人民政府办公室关于开展城市环境综合整治的通知", Body: document.ParseBody("各区人民政府：\n一、整治范围")}, "云泽市人民政府办公室")
	if err != nil {
		t.Fatal(err)
	}
	deputy := e.byLogin("lingdao")
	z := e.client()
	z.login("zhuren", demo.Password)
	_, body, _ := z.get("/docs/" + rec.ID)
	if code, _, _ := z.post("/docs/"+rec.ID+"/act", url.Values{"task": {taskOn(t, body, "propose")}, "op": {"approve"}, "comment": {"拟请何副区长阅示"},
		"next": {"person:" + deputy.ID}}); code != http.StatusSeeOther {
		t.Fatalf("拟办: %d", code)
	}
	l := e.client()
	l.login("lingdao", demo.Password)
	_, body, _ = l.get("/docs/" + rec.ID)
	if !strings.Contains(body, `value="office:`+city.ID+`"`) || !strings.Contains(body, city.Name+"（交其办公室分办）") {
		t.Fatal("the 承办 picker does not offer 区城市管理局")
	}
	if code, _, _ := l.post("/docs/"+rec.ID+"/act", url.Values{"task": {taskOn(t, body, "instruct")}, "op": {"approve"}, "comment": {"请区城市管理局牵头办理。"},
		"next": {"office:" + city.ID}, "lead": {"office:" + city.ID}}); code != http.StatusSeeOther {
		t.Fatalf("批办 to another unit: %d", code)
	}
	director := e.withRole("office_director", city.ID)
	d := e.client()
	d.login(director.Login, demo.Password)
	code, body, _ := d.get("/docs/" + rec.ID)
	if code != http.StatusOK {
		t.Fatalf("区城市管理局's office cannot open it: %d", code)
	}
	section := e.child(city.ID, "市容环境卫生科")
	staff := e.head(section.ID)
	if !strings.Contains(body, `<optgroup label="`+section.Name+`">`) || !strings.Contains(body, `value="person:`+staff.ID+`"`) {
		t.Fatal("the office head is not offered his bureau's people, grouped by unit")
	}
	if code, _, _ := d.post("/docs/"+rec.ID+"/act", url.Values{"task": {taskOn(t, body, "handle")}, "op": {"forward"}, "to": {"person:" + staff.ID}, "comment": {"请市容科办理"}}); code != http.StatusSeeOther {
		t.Fatalf("转办 inside: %d", code)
	}
	k := e.client()
	k.login(staff.Login, demo.Password)
	if _, body, _ := k.get("/docs/" + rec.ID); !strings.Contains(body, `data-testid="task-handle"`) {
		t.Error("the person assigned inside has no 承办 task")
	}
}

// TestJointIssueForm: the draft form offers 联合发文; a 两办 notice drafted
// with 区委办 shows both organs on its page, and its 核稿 is refused until the
// 会签 reaches 区委办.
func TestJointIssueForm(t *testing.T) {
	e := newDocEnv(t)
	office, party := e.unit("政府办"), e.unit("区委办")
	c := e.client()
	c.login("wenmi", demo.Password)
	_, page, _ := c.get("/docs/new")
	if !strings.Contains(page, `name="co_issuer" value="`+party.ID+`"`) {
		t.Fatal("the draft form does not offer 联合发文")
	}
	f := draftForm("关于做好2027年元旦春节期间有关工作的通知", "0", e.unit("区教育局").ID)
	f.Set("unit_id", firstOption.FindStringSubmatch(page)[1])
	f["co_issuer"] = []string{party.ID}
	code, body, h := c.postMultipart("/docs/new", f, "", "", nil)
	m := docLocation.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %s", code, firstLines(body, `<div class="alert`, 3))
	}
	id := m[1]
	if _, body, _ := c.get("/docs/" + id); !strings.Contains(body, `data-testid="joint">`+party.Name) {
		t.Error("the page does not show the joint issue")
	}
	rec, _ := e.store.Document(context.Background(), id)
	if rec.Doc.IssuerMark != office.Name+"、"+party.Name+"文件" {
		t.Errorf("mark %q", rec.Doc.IssuerMark)
	}
	ctx := context.Background()
	for _, p := range []string{e.byLogin("wenmi").ID, e.head(e.child(office.ID, "秘书科").ID).ID} {
		a, _ := e.store.Actor(ctx, p, e.store.Now())
		items, _ := e.store.OpenTasksFor(ctx, a, 100)
		for _, it := range items {
			if it.Doc.ID == id {
				if _, err := e.store.Act(ctx, e.person(p), id, route.Request{Op: route.Approve, Task: it.TaskID, Comment: "同意"}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	z := e.client()
	z.login("zhuren", demo.Password)
	_, body, _ = z.get("/docs/" + id)
	task := taskOn(t, body, "review")
	if !strings.Contains(body, `name="next" value="office:`+party.ID+`" checked`) {
		t.Error("the co-issuer's office is not offered ticked for the 会签")
	}
	if n := strings.Count(body, `name="next" value="office:`+party.ID+`"`); n != 1 {
		t.Errorf("区委办's office offered %d times in the 会签 picker", n)
	}
	code, body, _ = z.post("/docs/"+id+"/act", url.Values{"task": {task}, "op": {"approve"}, "next": {"leader:" + e.unit("区教育局").ID}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "联合发文须经"+party.Name+"会签") {
		t.Fatalf("核稿 without 区委办: %d", code)
	}
	if code, _, _ := z.post("/docs/"+id+"/act", url.Values{"task": {task}, "op": {"approve"}, "next": {"office:" + party.ID}}); code != http.StatusSeeOther {
		t.Fatalf("核稿 with 区委办's office: %d", code)
	}
}
