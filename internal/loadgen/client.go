package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// The tool speaks to the server as browsers and API clients do: it signs in
// through the login form and then uses the session cookie with the
// session's CSRF token in X-CSRF-Token. Cookies are kept by hand, not in a
// cookie jar, because a jar shares cookies between servers on one host
// (cookies ignore the port) and the tool spreads one person's requests over
// several servers that share a database.

const (
	sessionCookie = "shuniu_session"
	preCookie     = "shuniu_pre"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// servers hands out the base URLs in turn.
type servers struct {
	urls []string
	next atomic.Uint64
}

func (s *servers) pick() string {
	return s.urls[int(s.next.Add(1)-1)%len(s.urls)]
}

// session is one signed-in person.
type session struct {
	login  string
	cookie string // shuniu_session's value
	csrf   string
}

// httpError is an answer the operation did not expect.
type httpError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Body))
}

// statusOf is the HTTP status of an error from the client, 0 if none.
func statusOf(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// refused reports whether the server refused the request by its rules (not
// a fault): 403, 404, 409 or 422.
func refused(err error) bool {
	switch statusOf(err) {
	case http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

type client struct {
	http    *http.Client
	servers *servers
}

func newClient(urls []string, conns int) *client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns, IdleConnTimeout: 90 * time.Second}
	return &client{
		http: &http.Client{Transport: tr, Timeout: 60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		servers: &servers{urls: urls},
	}
}

// do sends one request to the next server and returns the body of a 2xx or
// 3xx answer; anything else is an *httpError.
func (c *client) do(ctx context.Context, s *session, method, path, ctype string, body []byte, cookies ...string) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.servers.pick()+path, rd)
	if err != nil {
		return nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if s != nil {
		cookies = append(cookies, sessionCookie+"="+s.cookie)
		if method != http.MethodGet {
			req.Header.Set("X-CSRF-Token", s.csrf)
		}
	}
	if len(cookies) > 0 {
		req.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return resp, nil, err
	}
	if resp.StatusCode >= 400 {
		msg := string(b)
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return resp, b, &httpError{Method: method, Path: path, Status: resp.StatusCode, Body: msg}
	}
	return resp, b, nil
}

// page fetches an HTML page (or any GET) and fails on anything but 200.
func (c *client) page(ctx context.Context, s *session, path string) ([]byte, error) {
	resp, b, err := c.do(ctx, s, http.MethodGet, path, "", nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &httpError{Method: "GET", Path: path, Status: resp.StatusCode, Body: resp.Header.Get("Location")}
	}
	return b, nil
}

// getJSON reads a JSON answer into out.
func (c *client) getJSON(ctx context.Context, s *session, path string, out any) error {
	b, err := c.page(ctx, s, path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// postJSON sends in as JSON and reads the answer into out (if not nil).
func (c *client) postJSON(ctx context.Context, s *session, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	_, b, err := c.do(ctx, s, http.MethodPost, path, "application/json", body)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("POST %s: %w", path, err)
		}
	}
	return nil
}

// signIn goes through the login form as a browser does: the form (with its
// double-submit cookie), the password, then the first page, which carries
// the session's CSRF token.
//
// rec records the sign-in itself (the POST, where the password is hashed)
// and the first page apart.
func (c *client) signIn(ctx context.Context, login, password string, rec func(op string, took time.Duration, err error)) (*session, error) {
	resp, b, err := c.do(ctx, nil, http.MethodGet, "/login", "", nil)
	if err != nil {
		return nil, err
	}
	m := csrfField.FindSubmatch(b)
	pre := cookieValue(resp, preCookie)
	if m == nil || pre == "" {
		return nil, fmt.Errorf("登录页没有表单（%d）", resp.StatusCode)
	}
	form := url.Values{"csrf": {string(m[1])}, "login": {login}, "password": {password}, "next": {"/"}}
	start := time.Now()
	resp, _, err = c.do(ctx, nil, http.MethodPost, "/login", "application/x-www-form-urlencoded", []byte(form.Encode()), preCookie+"="+pre)
	var s *session
	if err == nil {
		s = &session{login: login, cookie: cookieValue(resp, sessionCookie)}
		if resp.StatusCode != http.StatusSeeOther || s.cookie == "" {
			err = fmt.Errorf("%s 登录失败（%d）", login, resp.StatusCode)
		}
	}
	rec(OpSignIn, time.Since(start), err)
	if err != nil {
		return nil, fmt.Errorf("%s 登录: %w", login, err)
	}
	start = time.Now()
	home, err := c.page(ctx, s, "/workbench") // where "/" sends a signed-in person
	rec(OpWorkbench, time.Since(start), err)
	if err != nil {
		return nil, fmt.Errorf("%s 登录后首页: %w", login, err)
	}
	if m = csrfField.FindSubmatch(home); m == nil {
		return nil, fmt.Errorf("%s 登录后首页没有 CSRF 令牌", login)
	}
	s.csrf = string(m[1])
	return s, nil
}

func cookieValue(resp *http.Response, name string) string {
	for _, c := range resp.Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}
