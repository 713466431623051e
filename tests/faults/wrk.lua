-- wrk.lua — the background load of the fault run (tests/faults/run.mjs).
-- Rotates over the request paths given after `--` (every thread starts at a
-- different one), counts every response by HTTP status in a `response` hook
-- (wrk's own "Non-2xx" line cannot tell a 429 from a 503), and in `done`
-- writes one JSON object to the file named by $FAULTS_WRK_OUT:
--   {"requests":N,"duration_us":N,"errors":{"connect":..,"read":..,"write":..,"timeout":..},
--    "statuses":{"200":N,"503":N,...},"latency_us":{"p50":..,"p99":..,"max":..}}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  -- wrk passes the arguments after `--` in args (indexing differs between
  -- versions: accept every string that looks like a path)
  for i = 0, #args do
    local a = args[i]
    if type(a) == "string" and a:sub(1, 1) == "/" then table.insert(paths, a) end
  end
  if #paths == 0 then paths = { wrk.path } end
  idx = offset or 0
  statuses = {}
end

function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d":%d', k, v)) end
  local e = summary.errors
  local out = string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"statuses":{%s},"latency_us":{"p50":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ","), latency:percentile(50), latency:percentile(99), latency.max)
  local path = os.getenv("FAULTS_WRK_OUT")
  if path then
    local f = assert(io.open(path, "w"))
    f:write(out)
    f:close()
  else
    io.write(out)
  end
end
