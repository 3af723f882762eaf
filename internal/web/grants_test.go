package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// TestGrants: the security officer grants a colleague not on the route the
// right to open a classified document, then revokes it; the system
// administrator cannot grant; a clearance below the document's is refused.
func TestGrants(t *testing.T) {
	e := newDocEnv(t)
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	secret := clerk.createDraft("清澜区人民政府办公室关于做好冬季防火工作的通知", "1", e.towns(1)[0].ID)

	colleague := e.client()
	colleague.login("ducha", demo.Password)
	if code, _, _ := colleague.get("/docs/" + secret); code != http.StatusForbidden {
		t.Fatalf("before the grant: %d", code)
	}
	sys := e.client()
	sys.login("sysadmin", demo.Password)
	sys.get("/password")
	if code, _, _ := sys.post("/security/grants", url.Values{"document": {secret}, "login": {"ducha"}}); code != http.StatusForbidden {
		t.Errorf("sysadmin grants: %d", code)
	}
	sec := e.client()
	sec.login("secadmin", demo.Password)
	sec.get("/security/grants")
	// 承办人 chengban is 非密: refused for a 秘密 document.
	if code, body, _ := sec.post("/security/grants", url.Values{"document": {secret}, "login": {"chengban"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "涉密等级") {
		t.Errorf("grant below clearance: %d", code)
	}
	if code, _, h := sec.post("/security/grants", url.Values{"document": {secret}, "login": {"ducha"}}); code != http.StatusSeeOther {
		t.Fatalf("grant: %d %v", code, h)
	}
	if code, _, _ := colleague.get("/docs/" + secret); code != 200 {
		t.Fatalf("after the grant: %d", code)
	}
	_, body, _ := sec.get("/security/grants")
	if strings.Contains(body, "冬季防火") {
		t.Error("the grants page shows the document's title to the security officer")
	}
	m := regexp.MustCompile(`/security/grants/([0-9a-f-]+)/revoke`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no revoke button")
	}
	if code, _, _ := sec.post("/security/grants/"+m[1]+"/revoke", nil); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	if code, _, _ := colleague.get("/docs/" + secret); code != http.StatusForbidden {
		t.Errorf("after revoking: %d", code)
	}
	es, _ := e.store.ListAudit(t.Context(), store.AuditFilter{Action: "grant."})
	if len(es) != 2 {
		t.Errorf("grant audit entries: %d", len(es))
	}
}
