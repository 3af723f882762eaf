// Package textlimit is the one shape of a length limit on user input: every
// domain package names its limits as constants and checks them with these
// helpers, so that the JSON API, the web forms, imports and the command line
// refuse the same input with the same Chinese message ("标题不能超过 200 字
// （现有 50000 字）"). Characters are counted as Unicode code points, as a
// person counts 字.
package textlimit

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxQuery bounds a search query in characters: a person searches with a
// few words, and every list filters with it. The web edge refuses a longer
// "q" before any handler sees it.
const MaxQuery = 200

// Error is one field over its limit. Field is the field's JSON name, Label
// its Chinese name; Unit is "字" for text and "项"/"个" for lists.
type Error struct {
	Field string
	Label string
	Max   int
	Got   int
	Unit  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s不能超过 %d %s（现有 %d %s）", e.Label, e.Max, e.Unit, e.Got, e.Unit)
}

// Is makes errors.Is(err, ErrTooLong) true for every limit error.
func (e *Error) Is(target error) bool { return target == ErrTooLong }

// ErrTooLong matches every *Error with errors.Is.
var ErrTooLong = errors.New("输入超过长度限制")

// Text checks that s has at most max characters (one pass over s, none when
// s has no more bytes than max).
func Text(field, label string, max int, s string) error {
	if len(s) <= max { // a character is at least one byte
		return nil
	}
	if n := utf8.RuneCountInString(s); n > max {
		return &Error{Field: field, Label: label, Max: max, Got: n, Unit: "字"}
	}
	return nil
}

// List checks that a list has at most maxItems entries, each of at most
// maxEach characters. An entry over its limit is named by its position.
func List(field, label string, maxItems, maxEach int, items []string) error {
	if len(items) > maxItems {
		return &Error{Field: field, Label: label, Max: maxItems, Got: len(items), Unit: "项"}
	}
	for i, s := range items {
		if err := Text(field, fmt.Sprintf("%s第 %d 项", label, i+1), maxEach, s); err != nil {
			return err
		}
	}
	return nil
}

// Count checks that n things are at most max ("附件不能超过 50 个").
func Count(field, label string, max, n int, unit string) error {
	if n > max {
		return &Error{Field: field, Label: label, Max: max, Got: n, Unit: unit}
	}
	return nil
}

// First is the first non-nil error, or nil: a form shows one message, and the
// first field in the form's order is the one to fix first.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// As is the limit error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsTooLong reports whether err is (or wraps) a limit error.
func IsTooLong(err error) bool { return errors.Is(err, ErrTooLong) }
