#!/usr/bin/env bash
# The demo, as README.md gives it: installs what is missing, builds, starts platform-sim with a
# Taobao and a Tmall shop whose orders keep coming (generator mode) and a Douyin shop that pushes,
# starts erpd against it with config/demo.yaml, and walks one order through erpctl: synced, held,
# released, shipped back; then a Douyin order arrives by push and its receiver is decrypted; then
# buyers ask not to ship: intercepts by erpctl and by a memo written on Douyin (rules I1-I9); then a
# Tmall 1-yuan reservation gift ships inside the buyer's repurchase parcel (rules G1-G13); then a
# Douyin item goes to a factory, which ships it through its own API token (rules D1-D11); last, a
# second erpd hands a Tmall shop's orders to a Qimen WMS and takes its confirmations back.
# In a terminal both keep running until Ctrl-C; otherwise (CI, a pipe) they stop at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh
TARGETS="erpd erpctl platform-sim erp-plugin-taobao erp-plugin-tmall erp-plugin-douyin erp-plugin-qimen" ./scripts/build.sh

config=config/demo.yaml
erpd=build/bin/erpd
erpctl=build/bin/erpctl
sim=http://127.0.0.1:7880
rm -rf build/demo && mkdir -p build/demo

pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
ctl() { echo "\$ erpctl $*"; "$erpctl" --config "$config" "$@"; echo; }
step() { printf '\n== %s\n\n' "$*"; }
admin() { curl -sf --noproxy '*' -X "$1" "$sim$2" ${3:+-H 'Content-Type: application/json' -d "$3"}; }
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 $((limit * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "demo: gave up waiting for $what; logs in build/demo/" >&2; exit 1
}

step "platform-sim: a Taobao shop with 20 orders, a Tmall shop taking one order every 2 seconds"
build/bin/platform-sim --listen 127.0.0.1:7880 2> build/demo/platform-sim.log &
pids+=($!)
wait_for 10 "platform-sim" admin GET /admin/clock
admin POST /admin/generate '{"platform": "taobao", "shops": 1, "orders": 20}' >/dev/null
admin POST /admin/generate '{"platform": "tmall", "shops": 1, "orders_per_second": 0.5, "seconds": 3600}' >/dev/null
# The Douyin shop pushes every change to erpd's push path (config/demo.yaml: push_path).
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
shops:
  - id: gen-douyin-1
    platform: douyin
    app_key: gen-douyin-1-key
    app_secret: gen-douyin-1-secret
    access_token: gen-douyin-1-session
    refresh_token: gen-douyin-1-refresh
    push_url: http://127.0.0.1:7878/push/gen-douyin-1
  # A Tmall luxury shop whose orders come from the gift step's scenario below.
  - {id: lux-tmall-1, platform: tmall, app_key: lux-tmall-1-key, app_secret: lux-tmall-1-secret, session: lux-tmall-1-session}
  # Acme's Douyin shop, a dropship factory the Douyin shop binds (the dropship step below).
  - {id: "7000009", platform: douyin, role: factory, app_key: 7000009-key, app_secret: 7000009-secret, access_token: 7000009-session}
YAML
echo "simulator at $sim (log: build/demo/platform-sim.log)"

step "erpd syncs both shops"
"$erpd" check-config "$config"
"$erpd" --config "$config" 2> build/demo/erpd.log &
pids+=($!)
wait_for 15 "erpd" "$erpctl" --config "$config" status
synced() { [ "$("$erpctl" --config "$config" orders list --shop gen-taobao-1 --json | grep -o '"order_id"' | wc -l)" -ge 20 ]; }
wait_for 30 "the Taobao shop's 20 orders" synced
ctl status
ctl orders list --limit 8

step "a new Tmall order is held for its 20 s release delay, then released by itself"
json() { "$erpctl" --config "$config" "$@" --json; }
held() { json orders list --shop gen-tmall-1 --state held | grep -q '"order_id"'; }
wait_for 30 "a held Tmall order" held
order=$(json orders list --shop gen-tmall-1 --state held --limit 1 | grep -o '"order_id": *"[0-9]*"' | head -1 |
        grep -o '[0-9]*"$' | tr -d '"')
key=tmall/gen-tmall-1/$order
ctl orders list --state held --limit 5
ctl orders show "$key"
released() { json orders show "$key" | grep -q '"released": *true'; }
wait_for 40 "the release delay of $key" released
ctl why "$key"

step "the warehouse ships it: the waybill goes back to Tmall through the outbox, exactly once"
ctl ship "$key" --waybill "SF$order" --carrier SF
ctl ship "$key" --waybill "SF$order" --carrier SF   # a repeated report uploads nothing new
uploaded() { json outbox list | grep -q '"state": *"done"'; }
wait_for 30 "the waybill upload" uploaded
ctl outbox list
echo "platform-sim's write counters for order $order: $(admin GET "/admin/counters?order_id=$order")"
shipped() { json orders show "$key" | grep -q '"status": *"shipped"'; }
wait_for 30 "the next sync to see the shipment" shipped
ctl orders show "$key"

step "a Douyin order arrives by push within a second (the shop polls only every 10 minutes)"
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - at: "+0s"
    shop: gen-douyin-1
    type: order
    order_id: "6920000000000000001"
    paid: true
    receiver: {name: 张三丰, phone: "13812345678", province: 浙江省, city: 杭州市, town: 西湖区, street: 文新街道, detail: 文一西路100号}
    skus:
      - {sku_order_id: "6920000000000000002", sku_id: "1001", code: CUP-RED, product_name: 保温杯, qty: 2, price: "59.00"}
YAML
dykey=douyin/gen-douyin-1/6920000000000000001
pushed() { json orders show "$dykey" | grep -q '"order_id"'; }
wait_for 5 "the pushed Douyin order" pushed
ctl orders show "$dykey"
echo "erpd's push counters: $(curl -sf --noproxy '*' -H "Authorization: Bearer $(cat build/demo/api.token)" \
  http://127.0.0.1:7878/metrics | grep '^erp_push_messages_total' | tr '\n' ' ')"

step "the shipper, and only the shipper, gets the receiver in plaintext (rule D10: never stored, never logged)"
echo '$ curl -X POST http://127.0.0.1:7878/v1/receivers/decrypt -d {"orders":[{"platform":"douyin",...}]}'
curl -sf --noproxy '*' -H "Authorization: Bearer $(cat build/demo/api.token)" -H 'Content-Type: application/json' \
  -d '{"orders": [{"platform": "douyin", "shop": "gen-douyin-1", "order_id": "6920000000000000001"}]}' \
  http://127.0.0.1:7878/v1/receivers/decrypt
echo
if grep -q 13812345678 build/demo/erpd.log build/demo/erpd.db*; then
  echo "demo: the receiver's phone number reached erpd's log or database" >&2; exit 1
fi
echo "the phone number appears in neither build/demo/erpd.log nor the database"

step "a buyer asks not to ship (rules I3, I4): a held order locks at once, the memo goes to Tmall once"
wait_for 30 "a held Tmall order" held
iorder=$(json orders list --shop gen-tmall-1 --state held --limit 100 | grep -o '"order_id": *"[0-9]*"' | tail -1 |
         grep -o '[0-9]*"$' | tr -d '"')
ikey=tmall/gen-tmall-1/$iorder
ctl intercept request "$ikey" --reason "buyer ordered twice"
memo_written() { admin GET "/admin/counters?order_id=$iorder" | grep -q '"memo"'; }
wait_for 10 "the intercept memo on Tmall" memo_written
echo "platform-sim's write counters for order $iorder: $(admin GET "/admin/counters?order_id=$iorder")"
ctl why "$ikey"

step "the buyer changes their mind (I6): the memo text comes off and the order goes to the warehouse"
ctl intercept cancel "$ikey" --reason "buyer wants it after all"
ireleased() { json orders show "$ikey" | grep -q '"released": *true'; }
wait_for 40 "the release of $ikey" ireleased
ctl intercept status "$ikey"
cleared() { admin GET "/admin/counters?order_id=$iorder" | grep -q "\"$iorder\": *2"; }
wait_for 10 "the memo text to come off" cleared
echo "platform-sim's memo writes for order $iorder (the text on, then off): $(admin GET "/admin/counters?order_id=$iorder" |
  grep -o '"memo":{[^}]*}')"

step "too late (I4, I9): the order the warehouse shipped above cannot be stopped any more"
ctl intercept request "$key" || true

step "customer service writes the memo on Douyin (I3): the push brings it, erpd intercepts by itself"
# The order has gone to the warehouse once its release delay passed: the intercept then needs the
# warehouse's lock (the step after this one).
dyreleased() { json orders show "$dykey" | grep -q '"released": *true'; }
wait_for 40 "the release of $dykey" dyreleased
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - {at: "+0s", shop: gen-douyin-1, type: memo, order_id: "6920000000000000001", remark: 拦截发货, star: 1}
YAML
intercepted() { json intercept status "$dykey" | grep -q '"source": *"memo"'; }
wait_for 10 "the Douyin memo's intercept" intercepted
ctl intercept list --state open
echo "platform-sim's memo writes for the Douyin order (the text was there already): \
$(admin GET "/admin/counters?order_id=6920000000000000001" | grep -o '"memo":{[^}]*}')"

step "the order had gone to the warehouse, so the warehouse confirms the lock through the API (I4)"
dyintercept=$(json intercept status "$dykey" | grep -o '"id": *[0-9]*' | head -1 | grep -o '[0-9]*$')
echo "\$ curl -X POST http://127.0.0.1:7878/v1/intercepts/$dyintercept/confirm -d '{\"outcome\": \"locked\"}'"
curl -sf --noproxy '*' -H "Authorization: Bearer $(cat build/demo/api.token)" -H 'Content-Type: application/json' \
  -d '{"outcome": "locked", "by": "wms-1", "note": "pulled from the packing line"}' \
  "http://127.0.0.1:7878/v1/intercepts/$dyintercept/confirm" | grep -o '"state":"[a-z_]*"'
ctl intercept status "$dykey"

step "a 1-yuan reservation (G1) waits for the buyer's repurchase; the gift rides in its parcel (G2-G5, G13)"
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - {at: "+0s", shop: lux-tmall-1, type: order, tid: "8100000000000000001", buyer: lux-buyer-1, paid: true, one_yuan: true,
     lines: [{oid: "8100000000000000011", outer_sku: GIFT-SCARF, title: 1元预定 丝巾, qty: 1}]}
  - {at: "+2s", shop: lux-tmall-1, type: order, tid: "8100000000000000002", buyer: lux-buyer-1, paid: true,
     reservations: ["8100000000000000001"], tag_delay: 6s,
     lines: [{oid: "8100000000000000021", outer_sku: BAG-001, title: 手袋, qty: 1, price: "12800.00"}]}
YAML
rkey=tmall/lux-tmall-1/8100000000000000001
mkey=tmall/lux-tmall-1/8100000000000000002
waiting() { json orders show "$mkey" | grep -q '"TAG_WINDOW"'; }
wait_for 15 "the repurchase to wait for Tmall's tag" waiting
ctl orders show "$rkey"
ctl orders show "$mkey"
linked() { json orders show "$mkey" | grep -q '"released": *true'; }
wait_for 30 "the tag, the link and the release of $mkey" linked
ctl gift show "$mkey"

step "the warehouse ships the repurchase; Tmall marks the reservation shipped with its waybill (G5)"
ctl ship "$mkey" --waybill SF8100000000002 --carrier SF
gift_shipped() { json gift show "$rkey" | grep -q '"state": *"shipped"'; }
wait_for 40 "Tmall to ship the reservation with the repurchase's waybill" gift_shipped
ctl gift show "$rkey"
ctl gift list --shop lux-tmall-1
ctl why "$rkey"

step "dropship (D2): the Douyin shop binds Acme on Douyin; erpd reads the binding back (D11)"
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - {at: "+0s", shop: gen-douyin-1, type: bind_factory, factory_shop_id: "7000009"}
YAML
sleep 1  # Douyin times are whole seconds: the next order is created after the binding
ctl dropship reconcile
bound() { json dropship bindings --state bound | grep -q '"factory": *"acme"'; }
wait_for 15 "erpd to see the binding" bound
ctl dropship bindings

step "a two-item Douyin order: the cup goes to Acme (D4, iop.sellerDistribute), the lid stays with the warehouse"
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - at: "+0s"
    shop: gen-douyin-1
    type: order
    order_id: "6920000000000000101"
    paid: true
    receiver: {name: 李四海, phone: "13900001111", province: 广东省, city: 深圳市, town: 南山区, street: 粤海街道, detail: 科技园1号}
    skus:
      - {sku_order_id: "6920000000000000102", sku_id: "1001", code: CUP-RED, product_name: 保温杯, qty: 1, price: "59.00"}
      - {sku_order_id: "6920000000000000103", sku_id: "1002", code: LID-RED, product_name: 杯盖, qty: 1, price: "9.00"}
YAML
dskey=douyin/gen-douyin-1/6920000000000000101
dsstored() { json orders show "$dskey" | grep -q '"order_id"'; }
wait_for 10 "the pushed Douyin order" dsstored
ctl dropship assign acme "$dskey:6920000000000000102"
assigned() { json dropship show "$dskey" | grep -q '"state": *"assigned"'; }
wait_for 15 "Douyin to take the assignment" assigned
ctl dropship show "$dskey"

step "Acme's printing system, with Acme's own token, lists its lines, prints and ships (D5, D10)"
factory() { curl -s --noproxy '*' -H "Authorization: Bearer $(cat build/demo/factory-acme.token)" \
  -H 'Content-Type: application/json' "$@"; }
acme_line() { factory http://127.0.0.1:7878/v1/factory/lines | grep -o '"id":[0-9]*' | head -1 | grep -o '[0-9]*$'; }
wait_for 20 "Acme's shop to list the item" acme_line
line=$(acme_line)
echo "\$ curl -H 'Authorization: Bearer <acme token>' http://127.0.0.1:7878/v1/factory/lines"
factory http://127.0.0.1:7878/v1/factory/lines; echo
echo "\$ curl -X POST .../v1/factory/lines/$line/receiver   (decrypted for Acme's label printer; audited)"
factory -X POST "http://127.0.0.1:7878/v1/factory/lines/$line/receiver" | grep -o '"city":"[^"]*"'
echo "\$ curl -X POST .../v1/factory/lines/$line/shipment -d '{\"carrier\": \"shunfeng\", \"waybill\": \"SF6920000101\"}'"
factory -X POST -d '{"carrier": "shunfeng", "waybill": "SF6920000101"}' \
  "http://127.0.0.1:7878/v1/factory/lines/$line/shipment" | grep -o '"state":"[a-z]*"'
echo "the same line again (D7):"
factory -X POST -d '{"carrier": "yuantong", "waybill": "YT6920000101"}' \
  "http://127.0.0.1:7878/v1/factory/lines/$line/shipment"; echo
iop_shipped() { admin GET "/admin/counters?order_id=6920000000000000101" | grep -q '"iop.ship"'; }
wait_for 15 "iop.waybillReturn" iop_shipped
echo "platform-sim's write counters for the order: $(admin GET "/admin/counters?order_id=6920000000000000101")"
ctl dropship audit
if grep -q 13900001111 build/demo/erpd.log build/demo/erpd.db*; then
  echo "demo: the receiver's phone number reached erpd's log or database" >&2; exit 1
fi

step "deadlines (S1, S4): every order carries its ship-by and the rule that set it; Douyin's due in 2 h is at risk at once"
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - at: "+0s"
    shop: gen-douyin-1
    type: order
    order_id: "6920000000000000301"
    paid: true
    exp_ship_hours: 2
    skus:
      - {sku_order_id: "6920000000000000302", sku_id: "1001", code: CUP-RED, product_name: 保温杯, qty: 1, price: "59.00"}
YAML
duekey=douyin/gen-douyin-1/6920000000000000301
at_risk() { json alerts | grep -q '"subject": *"'"$duekey"'"'; }
wait_for 10 "the Douyin order due in 2 h to be at risk" at_risk
ctl deadline show "$duekey"
ctl alerts
echo "the buyer asks to wait three days; the platform approved the report (S4):"
ctl deadline report "$duekey" --kind buyer_delay --move-to "$(date -u -d '+3 days' +%Y-%m-%dT%H:%M:%SZ)" \
  --note "the buyer is away until the weekend"
echo "the Tmall order shipped above: its pickup clock (S2), stopped by the carrier's first scan:"
ctl deadline track "$key" --waybill "SF$order" --kind pickup --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --source carrier:sf

step "a Qimen WMS (奇门): a second erpd hands a Tmall shop's orders to it as deliveryorder.create"
qconfig=config/demo-qimen.yaml
qctl() { echo "\$ erpctl --config $qconfig $*"; "$erpctl" --config "$qconfig" "$@"; echo; }
qjson() { "$erpctl" --config "$qconfig" "$@" --json; }
mkdir -p build/demo/qimen
# The WMS calls erpd back on its inbound path (config/demo-qimen.yaml: warehouse.inbound_path).
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
shops:
  - {id: qm-tmall-1, platform: tmall, app_key: qm-tmall-1-key, app_secret: qm-tmall-1-secret, session: qm-tmall-1-session}
  - {id: C100, platform: qimen, app_key: demo-qimen-key, app_secret: demo-qimen-secret, push_url: "http://127.0.0.1:7879/warehouse/qimen"}
events:
  - at: "+0s"
    shop: qm-tmall-1
    type: order
    tid: "5200000000000001"
    paid: true
    lines:
      - {oid: "52000000000000011", item: "601", sku: "701", outer_sku: CUP-RED, qty: 1, price: "59.00"}
      - {oid: "52000000000000012", item: "602", sku: "702", outer_sku: LID-RED, qty: 2, price: "9.90"}
  - {at: "+0s", shop: qm-tmall-1, type: order, tid: "5200000000000002", paid: true, lines: [{item: "601", sku: "701", outer_sku: CUP-RED, qty: 1, price: "59.00"}]}
YAML
"$erpd" check-config "$qconfig"
"$erpd" --config "$qconfig" 2> build/demo/erpd-qimen.log &
pids+=($!)
qkey=tmall/qm-tmall-1/5200000000000001
qkey2=tmall/qm-tmall-1/5200000000000002
at_wms() { admin GET "/admin/counters?order_id=$1" | grep -q '"qimen.create"'; }
wait_for 30 "the Qimen WMS to get order 5200000000000001" at_wms 5200000000000001
wait_for 30 "the Qimen WMS to get order 5200000000000002" at_wms 5200000000000002
echo "the WMS's counters for it: $(admin GET "/admin/counters?order_id=5200000000000001")"
echo "\$ curl http://127.0.0.1:7879/v1/orders/$qkey/deliveries"
curl -sf --noproxy '*' -H "Authorization: Bearer $(cat build/demo/qimen/api.token)" \
  "http://127.0.0.1:7879/v1/orders/$qkey/deliveries"; echo

step "the WMS ships the cup, then the lids, and sends its final deliveryorder.confirm three times: Tmall gets each waybill once"
curl -sf --noproxy '*' -X POST "$sim/admin/scenario" --data-binary @- >/dev/null <<'YAML'
events:
  - {at: "+0s", shop: C100, type: process, code: "5200000000000001", status: PICK, info: "picker 12"}
  - {at: "+0s", shop: C100, type: ship, code: "5200000000000001", partial: true, out_biz_code: OB-1, packages: [{carrier: YTO, waybill: YT5200000001, lines: ["52000000000000011"]}]}
  - {at: "+0s", shop: C100, type: ship, code: "5200000000000001", out_biz_code: OB-2, repeat: 3, packages: [{carrier: YTO, waybill: YT5200000002, lines: ["52000000000000012"]}]}
YAML
two_uploads() { admin GET "/admin/counters?order_id=5200000000000001" | grep -q '"ship.upload": *{[^}]*"5200000000000001": *2'; }
wait_for 20 "both parcels' uploads to Tmall" two_uploads
sleep 2  # the repeated confirms have been answered; nothing more is uploaded
echo "platform-sim's counters for the order (4 confirms sent, 2 uploads): $(admin GET "/admin/counters?order_id=5200000000000001")"
qctl why "$qkey"

step "an intercept goes to the WMS as order.cancel (I4): it cancels, so the intercept locks at once"
qctl intercept request "$qkey2" --reason "buyer ordered twice"
qlocked() { qjson intercept status "$qkey2" | grep -q '"state": *"locked"'; }
wait_for 15 "the WMS's answer to order.cancel" qlocked
qctl intercept status "$qkey2"
echo "the WMS's counters for it: $(admin GET "/admin/counters?order_id=5200000000000002")"

if [ -t 0 ] && [ "${CI:-}" != true ]; then
  echo "erpd and platform-sim keep running; new Tmall orders arrive every 2 seconds. Try:"
  echo "  $erpctl --config $config orders list --shop gen-tmall-1"
  echo "  $erpctl --config $config status"
  echo "Ctrl-C stops both."
  wait
fi
