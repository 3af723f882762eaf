package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Fuzz targets for the forms' own parsers (issue 11, standing defences):
// whatever is posted, they do not panic, a refusal is a sentence in Chinese
// for the person who typed it, and what they accept is within the rules —
// read back the same where the page writes it back.

var han = regexp.MustCompile(`\p{Han}`)

// chinese fails t unless msg is a message a person can read: Chinese text.
func chinese(t *testing.T, what, msg string) {
	t.Helper()
	if !han.MatchString(msg) {
		t.Fatalf("%s: refusal not in Chinese: %q", what, msg)
	}
}

// FuzzTemplateFromForm: the route editor's form, over the stored 发文 route.
func FuzzTemplateFromForm(f *testing.F) {
	f.Add("核稿", "role:office_reviewer", "2", "days", "1.5", "", "", "", false, false)
	f.Add("", "keep", "0", "hours", "x", "加签环节", "leader:organ", "3", true, false)
	f.Add("签发", "nobody", "366", "", "-1", "新", "keep", "NaN", false, true)
	f.Add("拟稿", "chosen", "-3", "hours", "1e308", "会签", "role:", "-1e308", true, true)
	f.Fuzz(func(t *testing.T, name, actor, limitN, limitU, order, newName, newActor, newAfter string, parallel, remove bool) {
		base := route.Outgoing()
		form := map[string][]string{"new_name": {newName}, "new_actor": {newActor}, "new_limit_n": {limitN}, "new_limit_u": {limitU}, "new_after": {newAfter}}
		for i := range base.Steps {
			p := string(rune('0' + i%10))
			if i >= 10 {
				break
			}
			form["name_"+p] = []string{name}
			form["actor_"+p] = []string{actor}
			form["limit_n_"+p] = []string{limitN}
			form["limit_u_"+p] = []string{limitU}
			form["order_"+p] = []string{order}
			if parallel {
				form["parallel_"+p] = []string{"1"}
			}
			if remove && i == 1 {
				form["remove_1"] = []string{"1"}
			}
		}
		got, err := templateFromForm(base, form)
		if err != nil {
			chinese(t, "route template", err.Error())
			return
		}
		want := len(base.Steps)
		if remove {
			want--
		}
		if strings.TrimSpace(newName) != "" {
			want++
		}
		if len(got.Steps) != want {
			t.Fatalf("%d steps, want %d", len(got.Steps), want)
		}
		for _, st := range got.Steps {
			if err := st.Limit.Validate(); err != nil || st.Limit.N > 365 {
				t.Fatalf("step %q: limit %+v accepted", st.Name, st.Limit)
			}
			if !st.Parallel && st.Completion != "" {
				t.Fatalf("step %q: completion %q on a serial step", st.Name, st.Completion)
			}
		}
		if len(route.Outgoing().Steps) != len(base.Steps) || !reflect.DeepEqual(route.Outgoing(), base) {
			t.Fatal("the stored template was changed in place")
		}
	})
}

// FuzzSignForFromForm: the 签收 limits read back the same once written into
// the form.
func FuzzSignForFromForm(f *testing.F) {
	f.Add("2", "work_hours", "1", "work_days", "", "")
	f.Add("0", "clock_hours", "-1", "x", "99999", "work_days")
	f.Add("１", "work_days", " 3 ", "clock_hours", "2147483648", "work_hours")
	f.Fuzz(func(t *testing.T, n1, u1, n2, u2, n3, u3 string) {
		form := url.Values{"extra_urgent_n": {n1}, "extra_urgent_unit": {u1}, "urgent_n": {n2}, "urgent_unit": {u2}, "ordinary_n": {n3}, "ordinary_unit": {u3}}
		p, err := signForFromForm(form)
		if err != nil {
			chinese(t, "sign-for policy", err.Error())
			return
		}
		back := url.Values{}
		signForForm(p, back)
		again, err := signForFromForm(back)
		if err != nil || again != p {
			t.Fatalf("round trip: %+v → %v → %+v, %v", p, back, again, err)
		}
	})
}

// FuzzYearFromForm: a year's holidays as typed; what is accepted is written
// back (calendar.FormatDays) and reads the same.
func FuzzYearFromForm(f *testing.F) {
	f.Add("国务院办公厅通知", "2026-10-01 放假 国庆节\n2026-10-11 上班\r\n# 注释", true)
	f.Add("", "2026-02-30 放假", false)
	f.Add(strings.Repeat("来", 201), "\u3000\n2026-13-01 班 x", false)
	f.Fuzz(func(t *testing.T, source, days string, provisional bool) {
		form := url.Values{"source": {source}, "days": {days}}
		if provisional {
			form.Set("provisional", "1")
		}
		y, err := yearFromForm(2026, form)
		if err != nil {
			chinese(t, "calendar year", err.Error())
			return
		}
		if utf8.RuneCountInString(y.Source) > 200 || y.Provisional != provisional {
			t.Fatalf("year %+v from %q", y, source)
		}
		again, err := calendar.ParseDays(calendar.FormatDays(y.Days))
		if err != nil || !reflect.DeepEqual(again, y.Days) && len(again)+len(y.Days) > 0 {
			t.Fatalf("round trip: %+v → %q → %+v, %v", y.Days, calendar.FormatDays(y.Days), again, err)
		}
	})
}

// FuzzMarkingFromForm: a marking is read or refused in Chinese, and the
// check the handler then makes (Validate) refuses in Chinese too.
func FuzzMarkingFromForm(f *testing.F) {
	f.Add("1", "10")
	f.Add("机密", "")
	f.Add("3", "-1")
	f.Add("secret", "99999999999999999999")
	f.Fuzz(func(t *testing.T, level, period string) {
		c, err := markingFromForm(level, period)
		if err != nil {
			chinese(t, "marking", err.Error())
			return
		}
		if c.PeriodYears < 0 {
			t.Fatalf("negative period accepted: %+v", c)
		}
		if err := c.Validate(); err != nil {
			chinese(t, "marking validation", err.Error())
		}
	})
}

// FuzzParseDeadline: 办理时限 is a working-day count in range, a date, or
// nothing.
func FuzzParseDeadline(f *testing.F) {
	f.Add("10", "")
	f.Add("", "2026-06-30")
	f.Add("0", "2026年6月30日")
	f.Add("3661", "6/30")
	f.Fuzz(func(t *testing.T, days, date string) {
		d, err := parseDeadline(days, date)
		if err != nil {
			chinese(t, "deadline", err.Error())
			return
		}
		switch {
		case !d.Date.IsZero():
			if d.Workdays != 0 || strings.TrimSpace(date) == "" {
				t.Fatalf("deadline %+v from %q/%q", d, days, date)
			}
		case d.Workdays != 0:
			if d.Workdays < 1 || d.Workdays > 3660 {
				t.Fatalf("deadline %+v from %q", d, days)
			}
		default:
			if strings.TrimSpace(days) != "" || strings.TrimSpace(date) != "" {
				t.Fatalf("input %q/%q read as no deadline", days, date)
			}
		}
	})
}

// FuzzParseAssignee: a picked assignee is one of the three kinds the page
// offers, and names what the value named.
func FuzzParseAssignee(f *testing.F) {
	f.Add("person:abc")
	f.Add("leader:")
	f.Add("unit:u1:u2")
	f.Add("starter:x")
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := parseAssignee(s)
		if !ok {
			return
		}
		var back string
		switch a.Kind {
		case route.Leader:
			back = "leader:" + a.Unit
		case route.Person:
			back = "person:" + a.Person
		case route.Unit:
			back = "unit:" + a.Unit
		default:
			t.Fatalf("kind %q from %q", a.Kind, s)
		}
		if back != s {
			t.Fatalf("%q read as %+v", s, a)
		}
	})
}

// FuzzReadInput: the edge that reads every request body. Whatever arrives,
// it answers nothing (the handler goes on) or a 400/413 with a Chinese
// message; and what it lets through holds only valid text.
func FuzzReadInput(f *testing.F) {
	f.Add(uint8(0), []byte("title=%E9%80%9A%E7%9F%A5&body=x"), "q=1")
	f.Add(uint8(0), []byte("a=%ff&b=%00"), "")
	f.Add(uint8(1), []byte(`{"title":"\u0000"}`), "x=%ff")
	f.Add(uint8(2), []byte("title=x"), "")
	f.Add(uint8(3), []byte("\xff\xfe"), ";;;")
	f.Fuzz(func(t *testing.T, kind uint8, body []byte, query string) {
		var ct string
		switch kind % 4 {
		case 0:
			ct = "application/x-www-form-urlencoded"
		case 1:
			ct = "application/json"
		case 2: // a multipart body with a field and a file named by the input
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			_ = mw.WriteField(string(body), string(body))
			if w, err := mw.CreateFormFile("file", string(body)); err == nil {
				_, _ = w.Write(body)
			}
			_ = mw.Close()
			ct, body = mw.FormDataContentType(), b.Bytes()
		case 3:
			ct = "multipart/form-data; boundary=" + string(body[:min(len(body), 8)])
		}
		r := httptest.NewRequest(http.MethodPost, "/docs/new", bytes.NewReader(body))
		r.Header.Set("Content-Type", ct)
		r.URL.RawQuery = query
		w := httptest.NewRecorder()
		r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
		defer func() {
			if r.MultipartForm != nil {
				_ = r.MultipartForm.RemoveAll()
			}
		}()
		if msg := checkURL(r.URL); msg != "" {
			chinese(t, "query", msg)
		}
		status, msg := readInput(r, 1<<16)
		if msg != "" {
			if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
				t.Fatalf("refused with %d", status)
			}
			chinese(t, "body", msg)
			return
		}
		for k, vs := range r.PostForm {
			for _, v := range append(vs, k) {
				if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
					t.Fatalf("field %q = %q let through", k, v)
				}
			}
		}
	})
}
