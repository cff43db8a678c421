-- wrk script: POST the Dockerfile in $RESTAGE_BODY as text/plain to the URL's path.
local f = assert(io.open(os.getenv("RESTAGE_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain"

done = function(summary, latency, requests)
  local codes = {}
  io.write(string.format("non-2xx/3xx: %d, errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
