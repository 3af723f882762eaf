package notify

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// smtpServer is a minimal SMTP server on a real TCP port, enough for
// net/smtp: it records each message and can refuse recipients.
func smtpServer(t *testing.T, refuse string) (addr string, got chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan string, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				say := func(s string) { c.Write([]byte(s + "\r\n")) }
				say("220 test ESMTP")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					cmd := strings.ToUpper(strings.TrimSpace(line))
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						say("250 test")
					case strings.HasPrefix(cmd, "MAIL"):
						say("250 ok")
					case strings.HasPrefix(cmd, "RCPT"):
						if refuse != "" && strings.Contains(line, refuse) {
							say("550 no such user")
						} else {
							say("250 ok")
						}
					case cmd == "DATA":
						say("354 go on")
						var b strings.Builder
						for {
							l, err := r.ReadString('\n')
							if err != nil || l == ".\r\n" {
								break
							}
							b.WriteString(l)
						}
						got <- b.String()
						say("250 queued")
					case cmd == "QUIT":
						say("221 bye")
						return
					default:
						say("250 ok")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String(), got
}

func TestSMTP(t *testing.T) {
	addr, got := smtpServer(t, "nobody@")
	s := SMTP{Addr: addr, From: "shuniu@example.gov.cn"}
	d := Delivery{Key: "k1", Channel: "smtp", Address: "clerk@example.gov.cn", Subject: "督办提醒：请按时报送进展", Body: "请于本周五前报送进展情况。", Link: "https://shuniu/items/1"}
	if err := s.Send(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-got:
		if !strings.Contains(msg, "Subject: =?UTF-8?b?") || !strings.Contains(msg, "Message-ID: <") {
			t.Errorf("headers: %q", msg)
		}
		body := msg[strings.Index(msg, "\r\n\r\n")+4:]
		dec, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\r\n", ""))
		if err != nil || !strings.Contains(string(dec), "请于本周五前报送进展情况。") {
			t.Errorf("body: %q %v", dec, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no message")
	}
	d.Address = "nobody@example.gov.cn"
	var p *Permanent
	if err := s.Send(context.Background(), d); !errors.As(err, &p) {
		t.Errorf("refused recipient: %v", err)
	}
	d.Address = "bad\r\naddress"
	if err := s.Send(context.Background(), d); !errors.As(err, &p) {
		t.Errorf("header injection: %v", err)
	}
	// A relay that is down is a retryable error.
	if err := (SMTP{Addr: "127.0.0.1:1", From: "x@y"}).Send(context.Background(), Delivery{Key: "k", Address: "a@b"}); err == nil || errors.As(err, &p) {
		t.Errorf("down relay: %v", err)
	}
}

func TestWebhookStatuses(t *testing.T) {
	for _, tt := range []struct {
		status    int
		ok, final bool
	}{{200, true, false}, {204, true, false}, {400, false, true}, {429, false, false}, {500, false, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tt.status) }))
		err := Webhook{URL: srv.URL, Secret: "s"}.Send(context.Background(), Delivery{Key: "k"})
		srv.Close()
		var p *Permanent
		if (err == nil) != tt.ok || errors.As(err, &p) != tt.final {
			t.Errorf("%d: %v", tt.status, err)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if got := Backoff(i + 1); got != w {
			t.Errorf("attempt %d: %v, want %v", i+1, got, w)
		}
	}
	if (Message{Key: "k", PersonID: "p", Subject: "s"}).Validate() != nil || (Message{Key: "k"}).Validate() == nil {
		t.Error("validate")
	}
}
