package planner_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"

	"github.com/shuniu-oa/shuniu/internal/planner"
)

// The feed is read back by a real iCalendar parser (github.com/emersion/go-ical,
// a test-only dependency), and its lines are checked against RFC 5545 3.1:
// CRLF ends, at most 75 octets, folds that split no character.
func TestICalFeed(t *testing.T) {
	long := strings.Repeat("关于推进城乡融合发展，加快“百千万工程”；落实\\部署", 4)
	s, e := planner.AllDayRange(at(t, "2026-12-14 00:00"), at(t, "2026-12-16 00:00"), sh)
	entries := []planner.Entry{
		{ID: "e1", Title: "区政府常务会议", Place: "区政府第一会议室", Start: at(t, "2026-12-08 09:00"), End: at(t, "2026-12-08 11:30"),
			Visibility: planner.Organ, Source: planner.Source{Kind: planner.SourceMeeting, ID: "m1"}, UpdatedAt: at(t, "2026-12-01 10:00")},
		{ID: "e2", Title: long, Place: "A,B;C", Note: "第一行\n第二行", Start: at(t, "2026-12-08 22:00"), End: at(t, "2026-12-09 02:00"), Visibility: planner.Private},
		{ID: "e3", Title: "赴省参加培训", Start: s, End: e, AllDay: true, Visibility: planner.Leaders},
	}
	var buf bytes.Buffer
	if err := planner.WriteICal(&buf, planner.ICalFeed{Name: "李明的日程", Host: "oa.example.gov.cn", Stamp: at(t, "2026-12-07 18:00"), Entries: entries}, sh); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasSuffix(raw, "\r\n") {
		t.Fatal("the feed does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d breaks RFC 5545 3.1 (%d octets): %q", i+1, len(l), l)
		}
	}
	cal, err := ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
		t.Errorf("VERSION %q", v)
	}
	if v, _ := cal.Props.Text(ical.PropProductID); v == "" {
		t.Error("no PRODID")
	}
	evs := cal.Events()
	if len(evs) != len(entries) {
		t.Fatalf("%d events, want %d", len(evs), len(entries))
	}
	for i, ev := range evs {
		want := entries[i]
		if uid, _ := ev.Props.Text(ical.PropUID); uid != want.ID+"@oa.example.gov.cn" {
			t.Errorf("event %d UID %q", i, uid)
		}
		if got, _ := ev.Props.Text(ical.PropSummary); got != want.Title {
			t.Errorf("event %d SUMMARY %q, want %q", i, got, want.Title)
		}
		if got, _ := ev.Props.Text(ical.PropLocation); got != want.Place {
			t.Errorf("event %d LOCATION %q, want %q", i, got, want.Place)
		}
		if got, _ := ev.Props.Text(ical.PropDescription); got != want.Note {
			t.Errorf("event %d DESCRIPTION %q, want %q", i, got, want.Note)
		}
		start, err1 := ev.DateTimeStart(sh)
		end, err2 := ev.DateTimeEnd(sh)
		if err1 != nil || err2 != nil || !start.Equal(want.Start) || !end.Equal(want.End) {
			t.Errorf("event %d: %v – %v (%v %v), want %v – %v", i, start, end, err1, err2, want.Start, want.End)
		}
		if _, err := ev.Props.DateTime(ical.PropDateTimeStamp, time.UTC); err != nil {
			t.Errorf("event %d DTSTAMP: %v", i, err)
		}
	}
	if p := evs[2].Props.Get(ical.PropDateTimeStart); p == nil || p.ValueType() != ical.ValueDate {
		t.Errorf("the all-day event is not a DATE: %+v", p)
	}
	for i, class := range []string{"PUBLIC", "PRIVATE", "CONFIDENTIAL"} {
		if got, _ := evs[i].Props.Text(ical.PropClass); got != class {
			t.Errorf("event %d CLASS %q, want %s", i, got, class)
		}
	}
	// An empty schedule is still a valid calendar.
	buf.Reset()
	if err := planner.WriteICal(&buf, planner.ICalFeed{Name: "空", Stamp: at(t, "2026-12-07 18:00")}, sh); err != nil {
		t.Fatal(err)
	}
	if _, err := ical.NewDecoder(&buf).Decode(); err != nil {
		t.Errorf("empty feed: %v", err)
	}
}

// FuzzICalText: whatever a title holds, the feed parses and gives it back
// (control characters other than the newline dropped).
func FuzzICalText(f *testing.F) {
	f.Add("区政府常务会议", "A,B;C\\D")
	f.Add(strings.Repeat("长", 100), "\n\r\x00")
	f.Fuzz(func(t *testing.T, title, place string) {
		if !utf8.ValidString(title) || !utf8.ValidString(place) {
			return
		}
		e := planner.Entry{ID: "x", Title: title, Place: place, Start: at(t, "2026-12-08 09:00"), End: at(t, "2026-12-08 10:00"), Visibility: planner.Organ}
		var buf bytes.Buffer
		if err := planner.WriteICal(&buf, planner.ICalFeed{Name: title, Stamp: at(t, "2026-12-07 18:00"), Entries: []planner.Entry{e}}, sh); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Fatalf("a line of %d octets", len(l))
			}
		}
		cal, err := ical.NewDecoder(strings.NewReader(buf.String())).Decode()
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		clean := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r == '\n' || (r >= 0x20 && r != 0x7f && r != utf8.RuneError) {
					return r
				}
				return -1
			}, s)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		if got, _ := evs[0].Props.Text(ical.PropSummary); got != clean(title) {
			t.Fatalf("SUMMARY %q, want %q", got, clean(title))
		}
	})
}
