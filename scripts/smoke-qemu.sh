#!/usr/bin/env bash
# Smoke test under emulation (issue 17): cross-compiles shuniu for each
# ARCH (CGO_ENABLED=0), starts `shuniu demo` under qemu-user on a fresh
# SQLite data directory (the demo's whole seed: the district, a year of
# documents, seals, meetings), then walks a new 通知 through the whole 发文
# route over the JSON API — 拟稿 by wenmi in the 政府办秘书科, 审核/核稿/签发
# by zhuren (会签 by ducha when the route asks for it), 编号, 印发 and 分发 by
# wenmi — and checks that it ends done, numbered (发文字号) and sent.
# The API client is curl and jq on the host; every request is served by the
# emulated binary. API tokens come from `shuniu token create`, also emulated.
#
#   scripts/smoke-qemu.sh [ARCH...]      ARCH: arm64 loong64 (default both)
set -euo pipefail
cd "$(dirname "$0")/.."
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 loong64)

need=()
command -v qemu-aarch64-static >/dev/null && command -v qemu-loongarch64-static >/dev/null || need+=(qemu-user-static)
command -v jq >/dev/null || need+=(jq)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "smoke-qemu: need ${need[*]} (apt-get install ${need[*]})" >&2; exit 1; }
  echo "smoke-qemu: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "smoke-qemu: FAIL ($arch): $*" >&2; [ -f "$work/serve.log" ] && tail -20 "$work/serve.log" >&2; exit 1; }

for arch in "${arches[@]}"; do
  case "$arch" in
    arm64) emu=qemu-aarch64-static ;;
    loong64) emu=qemu-loongarch64-static ;;
    *) echo "smoke-qemu: unknown arch $arch" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  bin="$work/shuniu-$arch"
  CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -o "$bin" ./cmd/shuniu
  data="$work/data-$arch"
  port=$(( 20000 + RANDOM % 20000 ))
  base="http://127.0.0.1:$port"
  "$emu" "$bin" demo --data-dir "$data" --addr "127.0.0.1:$port" --metrics-addr off >"$work/serve.log" 2>&1 &
  server=$!
  # The seed runs before the listener opens; under emulation it takes minutes.
  for _ in $(seq 1 1200); do
    curl -fsS "$base/healthz" 2>/dev/null | grep -q '"ok"' && break
    kill -0 "$server" 2>/dev/null || fail "shuniu demo exited"
    sleep 0.5
  done
  curl -fsS "$base/healthz" | grep -q '"ok"' || fail "not serving after 10 min"
  seeded=$(date +%s)

  declare -A tok=() pid=()
  for l in wenmi zhuren ducha; do
    tok[$l]=$("$emu" "$bin" token create --data-dir "$data" --login "$l" --name smoke | tail -1)
    pid[$l]=$(curl -fsS -H "Authorization: Bearer ${tok[$l]}" "$base/api/v1/me" | jq -r .id)
    [ -n "${pid[$l]}" ] && [ "${pid[$l]}" != null ] || fail "no person for $l"
  done
  api() { # api LOGIN METHOD PATH [JSON] -> body on stdout, status in $work/code
    local l=$1 m=$2 p=$3 body=${4:-}
    local args=(-sS -o "$work/body" -w '%{http_code}' -X "$m" -H "Authorization: Bearer ${tok[$l]}")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    curl "${args[@]}" "$base/api/v1$p" >"$work/code"
    cat "$work/body"
  }
  units=$(api wenmi GET /units)
  gov=$(jq -r '.units[] | select(.short_name == "政府办") | .id' <<<"$units")
  sec=$(jq -r --arg g "$gov" '.units[] | select(.parent_id == $g and .name == "清澜区人民政府办公室秘书科") | .id' <<<"$units")
  town=$(jq -r '[.units[] | select(.kind == "town")][0].id' <<<"$units")
  [ -n "$sec" ] && [ -n "$town" ] || fail "demo units not found"

  title="清澜区人民政府办公室关于做好${arch}平台冒烟测试工作的通知"
  new=$(jq -n --arg u "$sec" --arg t "$town" --arg title "$title" \
    '{unit_id: $u, to: [$t], document: {type: "notice", title: $title, body: {paragraphs: [
      {level: 0, text: "各镇人民政府、街道办事处："}, {level: 1, marker: "一、", text: "高度重视"}, {level: 1, marker: "二、", text: "抓好落实"}]}}}')
  out=$(api wenmi POST /documents "$new")
  [ "$(cat "$work/code")" = 201 ] || fail "draft: $(cat "$work/code") $out"
  id=$(jq -r .id <<<"$out")
  # Who the walker names where a step's holders are chosen (as the demo's
  # TestPrintedLoginsWalkBothRoutes does).
  declare -A choose=([countersign]=ducha [sign_off]=zhuren)
  steps=()
  for _ in $(seq 1 40); do
    doc=$(api wenmi GET "/documents/$id")
    [ "$(jq -r .route.status <<<"$doc")" = active ] || break
    task=$(jq -c '[.route.tasks[] | select(.status == "open")][0]' <<<"$doc")
    si=$(jq -r .step <<<"$task")
    key=$(jq -r --argjson i "$si" '.route.template.steps[$i].key' <<<"$doc")
    req=$(jq -n --argjson t "$(jq .id <<<"$task")" '{op: "approve", task: $t, comment: "同意。"}')
    nk=$(jq -r --argjson i "$si" '.route.template.steps[$i+1] | select(.chosen == true) | .key' <<<"$doc")
    if [ -n "$nk" ]; then
      [ -n "${choose[$nk]:-}" ] || fail "no one to choose for step $nk"
      req=$(jq --arg p "${pid[${choose[$nk]}]}" '.next = [{assignee: {kind: "person", person: $p}}]' <<<"$req")
    fi
    [ "$key" = print_issue ] && req=$(jq --arg d "$(TZ=Asia/Shanghai date +%F)" '.fields = {print_date: $d, copies: "10"}' <<<"$req")
    done_by=""
    for l in wenmi zhuren ducha; do
      out=$(api "$l" POST "/documents/$id/act" "$req")
      if [ "$(cat "$work/code")" = 200 ]; then done_by=$l; break; fi
    done
    [ -n "$done_by" ] || fail "step $key: nobody of wenmi/zhuren/ducha could act: $(cat "$work/code") $out"
    steps+=("$key:$done_by")
  done
  doc=$(api wenmi GET "/documents/$id")
  [ "$(jq -r .route.status <<<"$doc")" = done ] || fail "route not done after ${steps[*]}"
  number=$(jq -r .document.doc_number <<<"$doc")
  [ -n "$number" ] && [ "$number" != null ] || fail "no 发文字号 after ${steps[*]}"
  [ "$(jq '.recipients | length' <<<"$doc")" -ge 1 ] || fail "not sent to the town"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  echo "smoke-qemu: $arch ok — demo seeded and serving in $((seeded - start)) s (build included); ${steps[*]}; $number; total $(( $(date +%s) - start )) s"
done
