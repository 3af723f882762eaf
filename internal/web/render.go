package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"github.com/shuniu-oa/shuniu/internal/study"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	_ "time/tzdata" // the office's clock is Beijing time wherever the server runs

	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
)

//go:embed templates
var templateFS embed.FS

var chinaTime = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// pageData is what every page template receives.
type pageData struct {
	Title  string
	Viewer *Viewer
	CSRF   string
	Error  string     // a refusal or validation message, shown above the form
	Notice string     // a confirmation
	Form   url.Values // the submitted input, given back on a failed form
	Nav    string     // the active section
	Data   any        // the page's own data
	Now    time.Time
}

type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"count": shownCount,
	"fmtTime": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(chinaTime).Format("2006-01-02 15:04") // minutes: what an office reads; seconds are in the audit log
	},
	// The auditor reads to the second.
	"fmtSeconds": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(chinaTime).Format("2006-01-02 15:04:05")
	},
	"hours": study.FormatHours,
	"fmtDate": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(chinaTime).Format("2006年1月2日")
	},
	"channelLabel": notify.ChannelLabel,
	"hasChannel":   func(chs []string, ch string) bool { return slices.Contains(chs, ch) },
	"roleLabel":    func(r org.Role) string { return r.Label() },
	"kindLabel":    func(k org.UnitKind) string { return k.Label() },
	"levelLabel":   func(c org.Classification) string { return c.Label() },
	"join":         strings.Join,
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	// depth classes instead of inline styles: the CSP forbids style attributes.
	"depthClass": func(depth int) string { return fmt.Sprintf("d%d", min(depth, 6)) },
	"add":        func(a, b int) int { return a + b },
}

func loadPages() (*pages, error) {
	layout, err := templateFS.ReadFile("templates/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		body, err := templateFS.ReadFile(path.Join("templates", e.Name()))
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", e.Name(), err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// render writes a full page, or only its "content" block for htmx requests
// that target the main area.
func (srv *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	t, ok := srv.pages.byName[name]
	if !ok {
		srv.serverError(w, r, fmt.Errorf("no template %q", name))
		return
	}
	if d.Viewer == nil {
		d.Viewer = viewerFrom(r.Context())
	}
	if d.CSRF == "" && d.Viewer != nil {
		d.CSRF = d.Viewer.CSRF
	}
	if d.Form == nil {
		d.Form = url.Values{}
	}
	d.Now = srv.store.Now()
	if d.Notice == "" {
		d.Notice = notices[r.URL.Query().Get("notice")]
	}
	block := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "main" {
		block = "content"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, d); err != nil {
		srv.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// notices are the confirmations a redirect can ask for with ?notice=.
var notices = map[string]string{
	"password": "密码已修改。",
	"saved":    "已保存。",
	"deleted":  "已删除。",
	"created":  "已创建。",
}

func (srv *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	srv.log.Error("server error", "request_id", requestID(r.Context()), "path", r.URL.Path, "err", err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusInternalServerError, "服务器内部错误")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<!doctype html><meta charset="utf-8"><title>错误</title><p>服务器内部错误，请稍后重试。请求编号：%s</p>`, template.HTMLEscapeString(requestID(r.Context())))
}

func (srv *Server) notFound(w http.ResponseWriter, r *http.Request) {
	srv.render(w, r, http.StatusNotFound, "error", pageData{Title: "未找到", Error: "您要找的页面或对象不存在。"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
