package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// TestMeetingMaterialProofread: a .docx material is proofread like a draft
// — its findings on the 议题's page and in the API for the reporting unit
// that uploaded it — and the API refuses whoever is not of the meeting.
func TestMeetingMaterialProofread(t *testing.T) {
	e := newProofEnv(t, false)
	ctx := context.Background()
	if err := demo.SeedMeetingRooms(ctx, e.store, e.d); err != nil {
		t.Fatal(err)
	}
	clerk := e.byLogin("wenmi")
	dev := e.unit("区发改局")
	devHead, outsider := e.head(dev.ID), e.head(e.unit("区民政局").ID)
	start := time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC) // Thursday 09:00 in Beijing
	m, err := e.store.BookMeeting(ctx, clerk, meeting.NewMeeting{Title: "重点项目建设调度会", Kind: meeting.Dispatch, OfficeID: e.unit("政府办").ID,
		RoomID: demo.MeetingRooms(e.d)[2].ID, Start: start, End: start.Add(time.Hour), Invitees: []meeting.Invitee{{PersonID: devHead.ID, UnitID: dev.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.MeetingAct(ctx, clerk, m.ID, "agenda", nil, store.OpAddAgenda(meeting.NewAgendaItem{Title: "项目推进情况", UnitID: dev.ID, Due: start.AddDate(0, 0, -1)})); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>关于重点项目推进情况的汇报</w:t></w:r></w:p><w:p><w:r><w:t>各项目己经完成年度投资计划。</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := "/meetings/" + m.ID + "/agenda/1"
	c := e.clientAs(t, devHead)
	if code, body, _ := c.postMultipart(path+"/materials", url.Values{}, "file", "汇报.docx", b.Bytes()); code != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", code, body)
	}
	if code, body, _ := c.postMultipart(path+"/materials", url.Values{}, "file", "汇报.exe", []byte("MZ")); code != http.StatusUnprocessableEntity || !strings.Contains(body, ".docx、.pdf") {
		t.Errorf("an .exe: %d", code)
	}
	code, out, _ := c.call("GET", "/api/v1"+path+"/materials", nil)
	if code != http.StatusOK {
		t.Fatalf("materials: %d %v", code, out)
	}
	pr, _ := out["proofread"].(map[string]any)
	if pr == nil || findingWith(findingsOf(t, pr), "己经") == nil {
		t.Errorf("proofread: %v", out["proofread"])
	}
	if vs, _ := out["versions"].([]any); len(vs) != 1 || vs[0].(map[string]any)["by_name"] != devHead.Name {
		t.Errorf("versions: %v", out["versions"])
	}
	if _, page, _ := c.get(path); !strings.Contains(page, "<mark>己经</mark>") {
		t.Error("the page does not mark the finding")
	}
	if code, _, _ := e.clientAs(t, outsider).call("GET", "/api/v1"+path+"/materials", nil); code != http.StatusForbidden {
		t.Errorf("an outsider: %d", code)
	}
}
