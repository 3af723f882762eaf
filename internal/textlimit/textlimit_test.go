package textlimit

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"", 0, ""},
		{strings.Repeat("字", 200), 200, ""},
		{strings.Repeat("字", 201), 200, "标题不能超过 200 字（现有 201 字）"},
		{strings.Repeat("a", 50000), 200, "标题不能超过 200 字（现有 50000 字）"},
		{strings.Repeat("字", 100), 299, ""}, // 300 bytes, 100 characters
	} {
		err := Text("title", "标题", tc.max, tc.s)
		got := ""
		if err != nil {
			got = err.Error()
			if !errors.Is(err, ErrTooLong) {
				t.Errorf("%v is not ErrTooLong", err)
			}
			if e, ok := As(fmt.Errorf("wrapped: %w", err)); !ok || e.Field != "title" {
				t.Errorf("As(%v) = %v, %v", err, e, ok)
			}
		}
		if got != tc.want {
			t.Errorf("Text(%d chars, %d) = %q, want %q", len([]rune(tc.s)), tc.max, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	if err := List("to", "主送机关", 2, 3, []string{"区委办", "区府办"}); err != nil {
		t.Fatal(err)
	}
	if err := List("to", "主送机关", 2, 3, []string{"a", "b", "c"}); err == nil || err.Error() != "主送机关不能超过 2 项（现有 3 项）" {
		t.Fatalf("three items: %v", err)
	}
	if err := List("to", "主送机关", 2, 3, []string{"区委办", "区政府办"}); err == nil || err.Error() != "主送机关第 2 项不能超过 3 字（现有 4 字）" {
		t.Fatalf("long item: %v", err)
	}
	if First(nil, nil) != nil || First(nil, ErrTooLong) != ErrTooLong {
		t.Fatal("First")
	}
}
