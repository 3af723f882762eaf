package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// TestRouteEditor: the 政府办 director drops 会签 and adds a 保密审查 step in
// the UI; removing 编号 is refused with the input kept; a clerk may not edit.
func TestRouteEditor(t *testing.T) {
	e := newDocEnv(t)
	office := e.unit("政府办")
	path := "/org/units/" + office.ID + "/routes/outgoing"
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	if code, _, _ := clerk.get(path); code != http.StatusForbidden {
		t.Errorf("clerk on the route editor: %d", code)
	}
	d := e.client()
	d.login("zhuren", demo.Password)
	code, body, _ := d.get(path)
	if code != 200 || !strings.Contains(body, "办公室核稿") || !strings.Contains(body, `data-testid="route-steps"`) {
		t.Fatalf("editor: %d", code)
	}
	tmpl, _, _ := e.store.RouteTemplate(t.Context(), office.ID, store.Outgoing)
	form := url.Values{}
	for i, st := range tmpl.Steps {
		p := itoa(i)
		form.Set("name_"+p, st.Name)
		form.Set("actor_"+p, "keep")
		form.Set("order_"+p, itoa(i+1))
		form.Set("limit_n_"+p, itoa(st.Limit.N))
		form.Set("limit_u_"+p, "workdays")
		if st.Parallel {
			form.Set("parallel_"+p, "1")
		}
		if st.CommentRequired {
			form.Set("comment_"+p, "1")
		}
	}
	// 会签 may be left without co-signers (the default); the office may
	// require one.
	if !strings.Contains(body, `value="1" checked aria-label="可不选" data-testid="optional-countersign"`) {
		t.Error("the editor does not show 会签 as optional")
	}
	if code, _, _ := d.post(path, form); code != http.StatusSeeOther {
		t.Fatalf("save with 会签 required: %d", code)
	}
	if got, _, _ := e.store.RouteTemplate(t.Context(), office.ID, store.Outgoing); got.Steps[got.StepIndex("countersign")].Optional {
		t.Error("会签 still optional after the office required it")
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("remove_5", "1") // 编号 has no checkbox, but a forged form must still be refused
	bad.Set("name_0", "拟稿")
	if code, body, _ := d.post(path, bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, "编号") || !strings.Contains(body, `value="拟稿"`) {
		t.Fatalf("removing 编号: %d", code)
	}
	form.Set("remove_3", "1") // 会签
	form.Set("new_name", "保密审查")
	form.Set("new_actor", "role:office_reviewer")
	form.Set("new_after", "3")
	form.Set("new_limit_n", "1")
	if code, _, _ := d.post(path, form); code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	got, custom, _ := e.store.RouteTemplate(t.Context(), office.ID, store.Outgoing)
	if !custom || got.StepIndex("countersign") >= 0 || got.Steps[3].Name != "保密审查" {
		names := []string{}
		for _, st := range got.Steps {
			names = append(names, st.Name)
		}
		t.Fatalf("stored route: %v", names)
	}
	d.get(path)
	if code, _, _ := d.post(path, url.Values{"op": {"reset"}}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	if _, custom, _ := e.store.RouteTemplate(t.Context(), office.ID, store.Outgoing); custom {
		t.Error("not reset")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
