package planner

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ICalFeed is a person's schedule as an iCalendar object (RFC 5545), for a
// phone's calendar to subscribe to.
type ICalFeed struct {
	Name    string // the calendar's name, e.g. "李明的日程"
	Host    string // makes UIDs globally unique, e.g. oa.example.gov.cn
	Stamp   time.Time
	Entries []Entry
}

// WriteICal writes the feed: CRLF line ends, lines folded at 75 octets
// without splitting a character, TEXT values escaped, times in UTC (all-day
// entries as DATE values in the organ's zone loc).
func WriteICal(w io.Writer, f ICalFeed, loc *time.Location) error {
	host := f.Host
	if host == "" {
		host = "shuniu"
	}
	var b strings.Builder
	line := func(name, value string) { b.WriteString(fold(name + ":" + value)) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Shuniu//Leader Schedule//ZH")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeText(f.Name))
	line("X-WR-TIMEZONE", "Asia/Shanghai")
	stamp := f.Stamp.UTC().Format("20060102T150405Z")
	for _, e := range f.Entries {
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.ID+"@"+host))
		line("DTSTAMP", stamp)
		if e.AllDay {
			line("DTSTART;VALUE=DATE", e.Start.In(loc).Format("20060102"))
			line("DTEND;VALUE=DATE", e.End.In(loc).Format("20060102"))
		} else {
			line("DTSTART", e.Start.UTC().Format("20060102T150405Z"))
			line("DTEND", e.End.UTC().Format("20060102T150405Z"))
		}
		line("SUMMARY", escapeText(e.Title))
		if e.Place != "" {
			line("LOCATION", escapeText(e.Place))
		}
		if e.Note != "" {
			line("DESCRIPTION", escapeText(e.Note))
		}
		class := "PUBLIC"
		switch e.Visibility {
		case Leaders:
			class = "CONFIDENTIAL"
		case Private:
			class = "PRIVATE"
		}
		line("CLASS", class)
		if !e.Source.IsZero() {
			line("CATEGORIES", escapeText(e.Source.Label()))
		}
		if !e.UpdatedAt.IsZero() {
			line("LAST-MODIFIED", e.UpdatedAt.UTC().Format("20060102T150405Z"))
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11); control characters
// other than the newline are dropped.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r' || r < 0x20 || r == 0x7f:
		case r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fold ends a content line with CRLF, folding it so that no line is longer
// than 75 octets and no UTF-8 sequence is split (RFC 5545 3.1).
func fold(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		l := utf8.RuneLen(r)
		if n+l > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += l
	}
	b.WriteString("\r\n")
	return b.String()
}
