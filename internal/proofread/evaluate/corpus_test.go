package main

import (
	"slices"
	"testing"
)

func TestSentences(t *testing.T) {
	got := sentences("第一条 为了规范口岸开放，提高口岸通关效率，制定本条例。短句。Some English text only here, not Chinese at all.；各地区各部门要认真贯彻落实，确保各项任务落到实处")
	want := []string{"第一条 为了规范口岸开放，提高口岸通关效率，制定本条例。", "各地区各部门要认真贯彻落实，确保各项任务落到实处"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
}
