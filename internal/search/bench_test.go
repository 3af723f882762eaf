package search

import (
	"strings"
	"testing"
)

// BenchmarkAnalyze: the cost of tokenizing a 公文 body of about 3,000
// characters, which every save of a document pays.
func BenchmarkAnalyze(b *testing.B) {
	text := strings.Repeat("各街道办事处，区政府各部门：为深入贯彻落实党中央、国务院决策部署，切实做好冬季安全生产工作，现就有关事项通知如下。", 60)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		f := AnalyzeFields("", "", text, nil)
		_, _, _ = f.FTS5Columns()
		_ = f.TSVector()
	}
}
