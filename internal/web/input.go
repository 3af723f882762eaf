package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Bad input is refused at the edge, before any handler sees it (issue 11):
// every request body is capped before it is parsed, a parsed multipart form's
// temporary files are removed on every path, and text that is not valid
// UTF-8 or holds a NUL byte — in the URL, a form field or a JSON string — is
// answered 400 with a message naming the field. The length of each field is
// the domain's rule (document.Limits, supervise.Limits, org.Limits); this
// file only bounds the bytes.

// maxBody caps a request without files: the longest field is a document's
// body (200,000 characters, up to 9 bytes each once percent-encoded).
const maxBody = 4 << 20

// maxFormMemory is how much of an upload is held in memory while it is
// parsed; the rest spills to temporary files, removed when the request ends.
const maxFormMemory = 8 << 20

// bodyLimits are the routes that carry files, with their larger caps. Every
// other route gets maxBody. TestBodyLimitRoutesExist checks each pattern is
// registered.
var bodyLimits = map[string]int64{
	"POST /docs/new":                                    maxUpload,
	"POST /incoming/new":                                maxUpload,
	"POST /docs/{id}/files":                             maxUpload,
	"POST /api/v1/documents/{id}/files":                 maxUpload,
	"POST /supervise/items/{id}/{op}":                   maxUpload,
	"POST /api/v1/supervise/items/{id}/{op}":            maxUpload,
	"POST /meetings/{id}/agenda/{seq}/materials":        maxUpload,
	"POST /api/v1/meetings/{id}/agenda/{seq}/materials": maxUpload,
	"POST /supervise/import":                            maxImportBody,
	"POST /api/v1/supervise/import":                     maxImportBody,
	"POST /security/seals":                              maxSealBody,
	"POST /api/v1/seals":                                maxSealBody,
}

// maxImportBody bounds a list import: the .xlsx (20 MiB) and the fields.
const maxImportBody = 20<<20 + 64<<10

// withInput is the edge for request input; it sits just outside the mux, so
// the request it parses is the one the handlers get (a copy made further
// out would keep the parsed form, and its files, from the server's own
// clean-up).
func (srv *Server) withInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBody)
		if _, pattern := srv.mux.Handler(r); pattern != "" {
			if n, ok := bodyLimits[pattern]; ok {
				limit = n
			}
		}
		if viewerFrom(r.Context()) == nil {
			limit = maxBody // nobody uploads before signing in
		}
		if r.ContentLength > limit {
			srv.badInput(w, r, http.StatusRequestEntityTooLarge, tooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		defer func() {
			if r.MultipartForm != nil {
				_ = r.MultipartForm.RemoveAll()
			}
		}()
		if msg := checkURL(r.URL); msg != "" {
			srv.badInput(w, r, http.StatusBadRequest, msg)
			return
		}
		if status, msg := readInput(r, limit); msg != "" {
			srv.badInput(w, r, status, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(limit int64) string {
	return fmt.Sprintf("请求内容过大（此处最多 %d MB）", (limit+1<<20-1)>>20)
}

// readInput parses a form or buffers a JSON body, then checks its text. It
// answers a status and a message for the user, or "" when all is well.
func readInput(r *http.Request, limit int64) (int, string) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Body == nil || r.Body == http.NoBody {
		return 0, ""
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	tooBig := func(err error) (int, string) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return http.StatusRequestEntityTooLarge, tooLarge(limit)
		}
		return http.StatusBadRequest, "请求内容无效，无法解析"
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return tooBig(err)
		}
		return http.StatusBadRequest, checkValues(r.PostForm)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxFormMemory); err != nil {
			return tooBig(err)
		}
		if msg := checkValues(r.MultipartForm.Value); msg != "" {
			return http.StatusBadRequest, msg
		}
		for field, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				if msg := checkText(field, fh.Filename); msg != "" {
					return http.StatusBadRequest, "文件名：" + msg
				}
			}
		}
		return 0, ""
	case "application/json":
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return tooBig(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		return http.StatusBadRequest, checkJSON(b)
	}
	return 0, ""
}

// checkURL checks the path and every query key and value.
func checkURL(u *url.URL) string {
	if msg := checkText("地址", u.Path); msg != "" {
		return msg
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "地址中的查询参数无效"
	}
	if msg := checkValues(q); msg != "" {
		return msg
	}
	for _, s := range q["q"] {
		if err := textlimit.Text("q", "搜索词", textlimit.MaxQuery, s); err != nil {
			return err.Error()
		}
	}
	return ""
}

func checkValues(vs map[string][]string) string {
	for k, list := range vs {
		if msg := checkText("字段名", k); msg != "" {
			return msg
		}
		for _, v := range list {
			if msg := checkText(k, v); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// checkText refuses text a person cannot have typed: bytes that are not
// UTF-8 (PostgreSQL refuses them with a 500, SQLite stores them raw) and NUL
// (cut silently by some drivers and C libraries).
func checkText(field, s string) string {
	if !utf8.ValidString(s) {
		return fmt.Sprintf("“%s”含有无效的字符编码（不是 UTF-8 文本），请检查后重新输入", field)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Sprintf("“%s”含有空字符（NUL），请删除后重新输入", field)
	}
	return ""
}

// checkJSON walks a JSON body's tokens and checks every string, key or
// value. Escapes are checked after decoding: "\u0000" is a NUL and a lone
// surrogate such as "\ud800" decodes to U+FFFD, which the raw text did not
// hold. A body that is not JSON is left to the handler to refuse.
func checkJSON(b []byte) string {
	if !utf8.Valid(b) {
		return "请求内容含有无效的字符编码（不是 UTF-8 文本）"
	}
	rawFFFD := bytes.ContainsRune(b, utf8.RuneError)
	dec := json.NewDecoder(bytes.NewReader(b))
	field := "请求内容"
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		s, ok := tok.(string)
		if !ok {
			continue
		}
		if msg := checkText(field, s); msg != "" {
			return msg
		}
		if !rawFFFD && strings.ContainsRune(s, utf8.RuneError) {
			return fmt.Sprintf("“%s”含有无效的转义字符（孤立的代理项），请检查后重新输入", field)
		}
		if len(s) <= 100 {
			field = s // a key names the value that follows; good enough for the message
		}
	}
}

// badInput answers a refusal of input: JSON for the API, a page otherwise.
func (srv *Server) badInput(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, status, msg)
		return
	}
	srv.render(w, r, status, "error", pageData{Title: "输入有误", Error: msg})
}
