package document

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// TestCopiesRules: the domain decides one copy per receiving office, 主送
// over 抄送, each carrying issued text, attachments, scans in that order.
func TestCopiesRules(t *testing.T) {
	units := map[string]org.Unit{
		"town": {ID: "town", Name: "石桥镇", Kind: org.KindTown},
		"tpo":  {ID: "tpo", ParentID: "town", Name: "石桥镇党政办", Kind: org.KindOffice},
		"sec":  {ID: "sec", ParentID: "town", Name: "石桥镇农业办", Kind: org.KindSection},
		"dept": {ID: "dept", Name: "区应急管理局", Kind: org.KindDepartment},
	}
	files := []File{{SHA256: "a", Name: "附件1", Role: FileAttachment}, {SHA256: "p", Name: "正式.pdf", Role: FileIssued},
		{SHA256: "a", Name: "附件1", Role: FileAttachment}}
	cs, err := Copies(units, []Addressee{{UnitID: "dept", Kind: CCRecipient}, {UnitID: "town", Kind: CCRecipient},
		{UnitID: "tpo", Kind: ToRecipient}}, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].OfficeID != "dept" || cs[1].OfficeID != "tpo" || cs[1].Kind != ToRecipient {
		t.Fatalf("copies: %+v", cs)
	}
	if len(cs[0].Files) != 2 || cs[0].Files[0].Role != FileIssued {
		t.Fatalf("files: %+v", cs[0].Files)
	}
	if _, err := Copies(units, []Addressee{{UnitID: "nowhere"}}, nil); err == nil {
		t.Error("unknown unit accepted")
	}
}
