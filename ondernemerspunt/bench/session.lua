-- wrk script of `manage.py bench`: every thread a session of its own (one connection each),
-- the TLS proxy's header, and for the plan part's save the CSRF token and the part's version.
--
-- wrk ... -s ondernemerspunt/bench/session.lua URL -- METHOD EXPECTED_STATUS BODY SESSION...
--   BODY:    "-" for a GET; for a POST the form, with VERSION where the part's version goes
--   SESSION: "cookie header|version" (the version only for a POST), one per thread, reused
--            round-robin when there are fewer sessions than threads
-- At the end one line "BENCH key=value ..." that bench/wrk.py reads.

local threads = {}
local count = 0

function setup(thread)
   count = count + 1
   thread:set("number", count)
   table.insert(threads, thread)
end

function init(args)
   method = args[1]
   expected = tonumber(args[2])
   body = args[3]
   local sessions = {}
   for i = 4, #args do
      table.insert(sessions, args[i])
   end
   local cookie, v = "", ""
   if #sessions > 0 then
      cookie, v = sessions[((number - 1) % #sessions) + 1]:match("^(.-)|(%d*)$")
   end
   version = tonumber(v) or 0
   wrk.method = method
   wrk.headers["X-Forwarded-Proto"] = "https"
   if cookie ~= "" then
      wrk.headers["Cookie"] = cookie
   end
   if method == "POST" then
      local origin = "https://" .. wrk.host .. ":" .. wrk.port
      wrk.headers["Origin"] = origin
      wrk.headers["Referer"] = origin .. wrk.path
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   end
   unexpected = 0
   first_unexpected = 0
end

function request()
   if method == "POST" then
      return wrk.format(nil, nil, nil, (body:gsub("VERSION", tostring(version))))
   end
   return wrk.format()
end

function response(status, headers, body)
   if status ~= expected then
      unexpected = unexpected + 1
      if first_unexpected == 0 then
         first_unexpected = status
      end
   elseif method == "POST" then
      version = version + 1 -- saved: the part's version went up by one
   end
end

function done(summary, latency, requests)
   local unexpected_total, first = 0, 0
   for _, thread in ipairs(threads) do
      unexpected_total = unexpected_total + thread:get("unexpected")
      if first == 0 then
         first = thread:get("first_unexpected")
      end
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d " ..
      "errors=%d unexpected=%d first_unexpected=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max,
      e.connect + e.read + e.write + e.status + e.timeout, unexpected_total, first))
end
