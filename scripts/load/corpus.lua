-- wrk script: POST the Dockerfiles listed in $RESTAGE_BODIES (one path per
-- line) in turn, as text/plain, to the URL's path: real files of every size
-- and shape instead of one.
local bodies = {}
for path in io.lines(os.getenv("RESTAGE_BODIES")) do
  local f = io.open(path, "rb")
  if f then
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end
assert(#bodies > 0, "no bodies in $RESTAGE_BODIES")
local next_body = 0
local headers = { ["Content-Type"] = "text/plain" }

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[next_body])
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx: %d, errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
