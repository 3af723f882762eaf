package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// walkToNumber takes 政府办 drafts through 审核, 核稿, 会签 and 签发 to 编号
// and returns each document's 编号 task.
func walkToNumber(t *testing.T, s *store.Store, x district, ids []string) map[string]int {
	t.Helper()
	office := x.unit["政府办"]
	clerk := x.byLogin["wenmi"]
	director := x.head(t, office.ID)
	for _, id := range ids {
		act(t, s, clerk, id, approve(""))
		act(t, s, director, id, approve("同意"))
		act(t, s, clerk, id, route.Request{Op: route.Approve, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}})
		act(t, s, director, id, approve("同意"))
		act(t, s, director, id, approve("签发"))
	}
	a, err := s.Actor(ctx, clerk.ID, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.OpenTasksFor(ctx, a, 1000)
	if err != nil {
		t.Fatal(err)
	}
	task := map[string]int{}
	for _, w := range items {
		if w.Step == "编号" {
			task[w.Doc.ID] = w.TaskID
		}
	}
	return task
}

// TestSeriesNumbering: an organ's series are counted apart — 8 documents
// numbered at once, half in the usual 文件 series and half in the 明电 the
// clerk chose, are 1…4 in each without gaps; a letter goes to the 函
// series; a series the type may not use is refused and takes no number.
func TestSeriesNumbering(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		series, err := s.SeriesFor(ctx, office.ID, document.Notice)
		if err != nil {
			t.Fatal(err)
		}
		if len(series) != 2 || series[0].Code != "清政办发" || series[1].Code != "清政办明电" {
			t.Fatalf("政府办's series for a 通知: %+v", series)
		}
		const n = 8
		ids := make([]string, n)
		for i := range ids {
			ids[i] = newDraft(t, s, x, clerk, office, nil).ID
		}
		letter, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{Type: document.Letter,
			Title: "清澜区人民政府办公室关于商请支持防汛物资调拨的函", Body: document.ParseBody("区应急管理局：\n特此函告。")}})
		if err != nil {
			t.Fatal(err)
		}
		task := walkToNumber(t, s, x, append(ids, letter.ID))

		// A 函 cannot go into the 文件 series: refused, nothing taken.
		if _, err := s.Act(ctx, clerk, letter.ID, route.Request{Op: route.Approve, Task: task[letter.ID],
			Fields: map[string]string{document.FieldSeries: "清政办发"}}); err == nil || !strings.Contains(err.Error(), "可选：清政办函") {
			t.Fatalf("a letter numbered as a 文件: %v", err)
		}
		got, err := s.Act(ctx, clerk, letter.ID, route.Request{Op: route.Approve, Task: task[letter.ID]})
		if err != nil {
			t.Fatal(err)
		}
		year := got.Doc.Number.Year
		if want := fmt.Sprintf("清政办函〔%d〕1号", year); got.DocNumber != want {
			t.Fatalf("letter numbered %q, want %q", got.DocNumber, want)
		}

		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i, id := range ids {
			chosen := ""
			if i%2 == 1 {
				chosen = "清政办明电"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for attempt := 0; ; attempt++ {
					_, err := s.Act(context.Background(), clerk, id, route.Request{Op: route.Approve, Task: task[id],
						Fields: map[string]string{document.FieldSeries: chosen}})
					if err != nil && attempt < 20 && (errors.Is(err, store.ErrStale) || strings.Contains(err.Error(), "could not serialize") || strings.Contains(err.Error(), "deadlock")) {
						continue
					}
					errs <- err
					return
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		recs, err := s.Documents(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		var file, wire []string
		for _, r := range recs {
			if r.Doc.Number == nil {
				t.Fatalf("%s not numbered", r.ID)
			}
			switch r.Doc.Number.OrganCode {
			case "清政办发":
				file = append(file, r.ID)
			case "清政办明电":
				wire = append(wire, r.ID)
			default:
				t.Fatalf("numbered %s", r.DocNumber)
			}
		}
		if len(file) != n/2 || len(wire) != n/2 {
			t.Fatalf("文件 %d, 明电 %d", len(file), len(wire))
		}
		checkNumbers(t, s, "清政办发", year, file)
		checkNumbers(t, s, "清政办明电", year, wire)
		checkNumbers(t, s, "清政办函", year, []string{letter.ID})
		for _, code := range []string{"清政办发", "清政办明电"} {
			evs, err := s.NumberEvents(ctx, code, year)
			if err != nil || len(evs) != n/2 || evs[n/2-1].Seq != n/2 {
				t.Fatalf("%s events: %+v %v", code, evs, err)
			}
		}
	})
}

// TestSetDocSeries: an organ's series are replaced as a whole and read
// back; a code another organ uses, as series or as 机关代字, is refused.
func TestSetDocSeries(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		dept := x.unit["区应急局"]
		if dept.ID == "" {
			for _, u := range x.Units {
				if u.Kind == org.KindDepartment {
					dept = u
					break
				}
			}
		}
		admin := x.byLogin["sysadmin"]
		set := func(list ...document.Series) error {
			return s.Write(ctx, func(tx *store.Tx) error { return tx.SetDocSeries(ctx, admin, dept.ID, list) })
		}
		if err := set(document.Series{Code: dept.OrganCode + "发", Name: "文件", Types: []document.DocType{document.Notice}, Sort: 1},
			document.Series{Code: dept.OrganCode + "电", Name: "明电", Sort: 2}); err != nil {
			t.Fatal(err)
		}
		got, err := s.SeriesFor(ctx, dept.ID, document.Letter)
		if err != nil || len(got) != 1 || got[0].Code != dept.OrganCode+"电" {
			t.Fatalf("a letter's series: %+v %v", got, err)
		}
		for _, code := range []string{"清政发", x.unit["政府办"].OrganCode} {
			if err := set(document.Series{Code: code, Name: "x"}); err == nil {
				t.Errorf("%s taken by another organ, accepted", code)
			}
		}
		all, err := s.DocSeries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mine := 0
		for _, sr := range all {
			if sr.OrganID == dept.ID {
				mine++
			}
		}
		if mine != 2 {
			t.Errorf("%d series kept after refusals, want 2", mine)
		}
	})
}
