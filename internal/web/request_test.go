package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// approvedTrip is a car request of wenmi's approved to 派车 through the store.
func approvedTrip(t *testing.T, e *env, id string, from, to time.Time) {
	t.Helper()
	ctx := context.Background()
	wenmi, zhuren := e.byLogin("wenmi"), e.byLogin("zhuren")
	unit := ""
	for _, p := range e.d.Positions {
		if p.PersonID == wenmi.ID && p.Primary {
			unit = p.UnitID
		}
	}
	r, err := e.store.CreateRequest(ctx, wenmi, request.New{ID: id, Kind: request.CarUse, UnitID: unit, OfficeID: e.unit("政府办").ID,
		Reason: "调研", Car: &request.CarInfo{Start: from, End: to, Destination: "城关镇", Passengers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		task := r.Route.OpenTasks()[0].ID
		if r, err = e.store.ReqAct(ctx, zhuren, id, "approve", nil, store.ReqRoute(route.Request{Op: route.Approve, Task: task})); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRequestDispatchRaceHTTP: two dispatchers of the 政府办 give the same
// car to two overlapping trips at the same moment through the API; exactly
// one wins, the other gets 409 naming the conflict in Chinese. Run with
// -count=20 on both stores.
func TestRequestDispatchRaceHTTP(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		e := newEnvOn(t, s, c)
		keeper := reqPool(t, e)
		var other org.Person
		for _, a := range e.d.Roles {
			if a.Role == org.RoleClerk && a.UnitID == e.unit("政府办").ID && a.PersonID != keeper.ID {
				for _, p := range e.d.People {
					if p.ID == a.PersonID {
						other = p
					}
				}
			}
		}
		loc := time.FixedZone("CST", 8*3600)
		approvedTrip(t, e, "trip-a", time.Date(2026, 12, 1, 9, 0, 0, 0, loc), time.Date(2026, 12, 1, 12, 0, 0, 0, loc))
		approvedTrip(t, e, "trip-b", time.Date(2026, 12, 1, 11, 0, 0, 0, loc), time.Date(2026, 12, 1, 15, 0, 0, 0, loc))
		clients := []*client{e.client(), e.client()}
		for i, p := range []org.Person{keeper, other} {
			if code, _ := clients[i].login(p.Login, demo.Password); code != http.StatusSeeOther {
				t.Fatalf("login %s: %d", p.Login, code)
			}
		}
		type answer struct {
			code int
			msg  string
		}
		answers := make([]answer, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, job := range []struct{ id, driver string }{{"trip-a", "d1"}, {"trip-b", "d2"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, _ := json.Marshal(map[string]string{"vehicle_id": "v1", "driver_id": job.driver})
				req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/requests/"+job.id+"/dispatch", bytes.NewReader(b))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-CSRF-Token", clients[i].csrf)
				<-start
				resp, err := clients[i].http.Do(req)
				if err != nil {
					answers[i] = answer{code: -1, msg: err.Error()}
					return
				}
				defer resp.Body.Close()
				var out map[string]any
				_ = json.NewDecoder(resp.Body).Decode(&out)
				msg, _ := out["error"].(string)
				answers[i] = answer{code: resp.StatusCode, msg: msg}
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for i, a := range answers {
			switch a.code {
			case http.StatusOK:
				won++
			case http.StatusConflict:
				other := []string{"12月1日 11:00—15:00", "12月1日 09:00—12:00"}[i]
				want := "车辆 云A·G0001 在 " + other + " 已派给清澜区人民政府办公室秘书科（前往 城关镇），与本次用车（"
				if !strings.HasPrefix(a.msg, want) || !strings.HasSuffix(a.msg, "）冲突") {
					t.Errorf("409 says %q, want it to start %q", a.msg, want)
				}
			default:
				t.Errorf("dispatcher %d: %d %s", i, a.code, a.msg)
			}
		}
		if won != 1 {
			t.Fatalf("%d dispatches won, want exactly 1: %+v", won, answers)
		}
	})
}

// TestRequestAPI: a request made and refused through the JSON API, and a
// stranger refused the request (audited, nothing of it shown).
func TestRequestAPI(t *testing.T) {
	e := newEnv(t)
	reqPool(t, e)
	c := e.client()
	c.login("wenmi", demo.Password)
	code, out, _ := c.call("POST", "/api/v1/requests", map[string]any{"kind": "car_use", "start": "2026-12-01T10:00", "end": "2026-12-01T09:00",
		"destination": "城关镇", "passengers": 2, "reason": "调研", "office_id": e.unit("政府办").ID})
	if code != http.StatusUnprocessableEntity || out["error"] != "用车结束时间须晚于开始时间" {
		t.Fatalf("end before start: %d %v", code, out)
	}
	code, out, _ = c.call("POST", "/api/v1/requests", map[string]any{"kind": "seal_use", "seal_id": "seal-gov", "material": "关于报送年度工作总结的报告",
		"copies": 2, "reason": "报送市政府"})
	if code != http.StatusCreated || out["status"] != "pending" {
		t.Fatalf("create: %d %v", code, out)
	}
	id, _ := out["id"].(string)
	code, out, _ = c.call("GET", "/api/v1/requests?tab=mine", nil)
	if rs, _ := out["requests"].([]any); code != http.StatusOK || len(rs) != 1 {
		t.Fatalf("mine: %d %v", code, out)
	}
	stranger := e.client()
	stranger.login("chengban", demo.Password)
	code, body, _ := stranger.do("GET", "/api/v1/requests/"+id, "")
	if code != http.StatusForbidden || strings.Contains(body, "年度工作总结") {
		t.Fatalf("a stranger reads it: %d %s", code, body)
	}
	// The director finds it in his workbench's 待办 and approves it over the API.
	boss := e.client()
	boss.login("zhuren", demo.Password)
	code, out, _ = boss.call("GET", "/api/v1/workbench", nil)
	found := false
	lists, _ := out["lists"].(map[string]any)
	todo, _ := lists["todo"].([]any)
	for _, it := range todo {
		found = found || it.(map[string]any)["url"] == "/requests/"+id
	}
	if code != http.StatusOK || !found {
		t.Fatalf("zhuren's workbench lacks the request: %d %v", code, out)
	}
	code, out, _ = boss.call("GET", "/api/v1/requests", nil)
	rs, _ := out["requests"].([]any)
	if code != http.StatusOK || len(rs) != 1 {
		t.Fatalf("zhuren's 待办: %d %v", code, out)
	}
	route := rs[0].(map[string]any)["route"].(map[string]any)
	var task float64
	for _, tk := range route["tasks"].([]any) {
		if m := tk.(map[string]any); m["status"] == "open" {
			task = m["id"].(float64)
		}
	}
	code, out, _ = boss.call("POST", "/api/v1/requests/"+id+"/approve", map[string]any{"task": task, "comment": "同意"})
	if code != http.StatusOK {
		t.Fatalf("approve: %d %v", code, out)
	}
	code, out, _ = boss.call("POST", "/api/v1/requests/"+id+"/stamp", map[string]any{"copies": 2})
	if code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "不在“用印”环节") {
		t.Fatalf("stamp before approval: %d %v", code, out)
	}
}
