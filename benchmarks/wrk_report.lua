-- wrk's report as the one JSON line benchmarks/load_driver.py prints (milliseconds).
-- Used by benchmarks/load.py:  wrk -s benchmarks/wrk_report.lua ...
done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    '{"requests": %d, "errors": %d, "rps": %.1f, "p50": %.1f, "p95": %.1f, "p99": %.1f, "mean": %.1f, '
      .. '"statuses": {"below 400": %d, "400 and above": %d}}\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.requests / seconds,
    ms(50), ms(95), ms(99), latency.mean / 1000, summary.requests - e.status, e.status))
end
