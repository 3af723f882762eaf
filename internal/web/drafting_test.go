package web_test

import (
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

// TestDraftFromTemplate: the draft form offers a template per 文种; the 请示
// one starts the draft as a 请示 with its usual opening and the closing
// “妥否，请批示。”, and names its elements and 一文一事. An unknown template
// is the plain form.
func TestDraftFromTemplate(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("wenmi", demo.Password)
	code, page, _ := c.get("/docs/new")
	if code != 200 || !strings.Contains(page, `href="/docs/new?template=request" data-testid="template-request">请示</a>`) {
		t.Fatalf("form: %d %s", code, firstLines(page, `data-testid="draft-templates"`, 2))
	}
	code, page, _ = c.get("/docs/new?template=request")
	for _, want := range []string{`<option value="request" selected>`, `value="关于××的请示"`, "现就××事项请示如下：", "妥否，请批示。</textarea>",
		"须具备标题、主送机关、正文、发文字号、发文机关署名、成文日期、印章、附注（联系人及电话）", "一文一事"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("the 请示 template lacks %q", want)
		}
	}
	if _, page, _ = c.get("/docs/new?template=nonsense"); strings.Contains(page, `data-testid="template-hints"`) || !strings.Contains(page, `<option value="notice" selected>`) {
		t.Error("an unknown template changed the form")
	}
}
