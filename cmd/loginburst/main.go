// Command loginburst measures a burst of sign-ins against a running Shuniu
// server over HTTP: N browsers open the login page, then all submit their
// password at the same moment, as an office does at 8:30. It prints the
// latency of the sign-ins (p50, p95, p99, max), the errors, and the server's
// resident memory before, at its peak during, and after the burst, read from
// the server's metrics address (process_resident_memory_bytes).
//
//	go run ./cmd/shuniu demo &        # prints the URL and the metrics URL
//	go run ./cmd/loginburst -url http://127.0.0.1:8080 -metrics http://127.0.0.1:PORT/metrics -n 50
//
// It is deliberately small; the general load tool replays a whole day.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server's address")
	metrics := flag.String("metrics", "", "the server's metrics URL, to read its resident memory (optional)")
	n := flag.Int("n", 50, "sign-ins at once")
	rounds := flag.Int("rounds", 3, "bursts, one after the other")
	logins := flag.String("logins", "wenmi,zhuren,lingdao,chengban,ducha,jiyao,sysadmin,secadmin,auditor", "accounts to sign in, in turn")
	password := flag.String("password", "Demo@2026ql", "their password")
	flag.Parse()
	if err := run(*base, *metrics, *n, *rounds, strings.Split(*logins, ","), *password); err != nil {
		fmt.Fprintln(os.Stderr, "loginburst:", err)
		os.Exit(1)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser is one person at the login page, ready to submit.
type browser struct {
	client *http.Client
	csrf   string
	login  string
}

func open(base, login string) (*browser, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("login page without a form (%d)", resp.StatusCode)
	}
	return &browser{client: c, csrf: string(m[1]), login: login}, nil
}

func (b *browser) submit(base, password string) (time.Duration, error) {
	start := time.Now()
	resp, err := b.client.PostForm(base+"/login", url.Values{"csrf": {b.csrf}, "login": {b.login}, "password": {password}, "next": {"/"}})
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusSeeOther {
		return took, fmt.Errorf("%s: status %d", b.login, resp.StatusCode)
	}
	return took, nil
}

// metric reads one unlabelled metric from the metrics URL.
func metric(metrics, name string) (float64, error) {
	resp, err := http.Get(metrics)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, errors.New("no " + name + " in the metrics")
}

// rss is the server's resident memory.
func rss(metrics string) (float64, error) { return metric(metrics, "process_resident_memory_bytes") }

func run(base, metrics string, n, rounds int, logins []string, password string) error {
	var rssBefore, rssPeak, cpuBefore float64
	var rssMu sync.Mutex
	if metrics != "" {
		v, err := rss(metrics)
		if err != nil {
			return err
		}
		rssBefore, rssPeak = v, v
		if cpuBefore, err = metric(metrics, "process_cpu_seconds_total"); err != nil {
			return err
		}
	}
	var all []time.Duration
	var errs []error
	start := time.Now()
	for round := range rounds {
		bs := make([]*browser, n)
		for i := range bs {
			b, err := open(base, logins[(round*n+i)%len(logins)])
			if err != nil {
				return err
			}
			bs[i] = b
		}
		ctx, stop := context.WithCancel(context.Background())
		var sampler sync.WaitGroup
		if metrics != "" {
			sampler.Add(1)
			go func() {
				defer sampler.Done()
				for ctx.Err() == nil {
					if v, err := rss(metrics); err == nil {
						rssMu.Lock()
						rssPeak = max(rssPeak, v)
						rssMu.Unlock()
					}
					time.Sleep(20 * time.Millisecond)
				}
			}()
		}
		fire := make(chan struct{})
		var wg sync.WaitGroup
		took := make([]time.Duration, n)
		errc := make([]error, n)
		for i, b := range bs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-fire
				took[i], errc[i] = b.submit(base, password)
			}()
		}
		close(fire)
		wg.Wait()
		stop()
		sampler.Wait()
		for i := range took {
			if errc[i] != nil {
				errs = append(errs, errc[i])
				continue
			}
			all = append(all, took[i])
		}
	}
	elapsed := time.Since(start)
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	fmt.Printf("%d sign-ins in %d bursts of %d: p50 %v  p95 %v  p99 %v  max %v  errors %d  (%.0f sign-ins/s over the run)\n",
		len(all)+len(errs), rounds, n, pct(0.50).Round(time.Millisecond), pct(0.95).Round(time.Millisecond), pct(0.99).Round(time.Millisecond),
		pct(1).Round(time.Millisecond), len(errs), float64(len(all))/elapsed.Seconds())
	for i, err := range errs {
		if i == 5 {
			fmt.Printf("  … and %d more errors\n", len(errs)-5)
			break
		}
		fmt.Println("  error:", err)
	}
	if metrics != "" {
		// The server's CPU per sign-in does not depend on what else the
		// machine runs (the page loads before each burst are included).
		cpu, _ := metric(metrics, "process_cpu_seconds_total")
		fmt.Printf("server CPU: %.1f ms per sign-in (login page and sign-in)\n", (cpu-cpuBefore)*1000/float64(len(all)+len(errs)))
		time.Sleep(time.Second)
		after, _ := rss(metrics)
		fmt.Printf("server resident memory: before %.0f MB, peak %.0f MB, after %.0f MB\n", rssBefore/1e6, rssPeak/1e6, after/1e6)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d sign-ins failed", len(errs))
	}
	return nil
}
