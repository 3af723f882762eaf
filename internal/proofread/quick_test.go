package proofread

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

func TestQuick(t *testing.T) {
	t0 := time.Now()
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println("load", time.Since(t0), "heap MB", ms.HeapAlloc>>20, "words", len(c.lm.freq), "wild", len(c.lm.wild))
	for _, s := range []string{"内蒙古自治区乌兰察布市大力培育发展大数局产业。", "我们要认真的做好各项工作,确保按时完成.", "会议决定到到会场。", "截止目前，已经完成了其它任务……", "他己经把事情做的很好", "要发号司令。二O二四年，完成5-10人，20～30%"} {
		for _, f := range c.Check(s) {
			fmt.Printf("%s  %+v\n", s, f)
		}
	}
}
