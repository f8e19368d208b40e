-- claim.lua: housekeeping, then leases up to n ready jobs.
-- KEYS, ARGV[1]: see common.lua.
-- ARGV[2] n, the most jobs to lease (0 = housekeeping only); ARGV[3] lease duration in ms.
-- Returns: {now, next_due, then 7 values per leased job: id, payload, priority, attempt, max attempts,
--   enqueued at, token}; every lease of the call ends at now + duration. next_due is the earliest scheduled
--   run-at or lease expiry (-1 when none), reported only when no job was leased, so a waiting claim knows
--   when to look again.
-- Guarantees, in this order, as one atomic step at one TIME:
--   1. expired leases (expiry <= now): a job on its last attempt becomes DEAD with error 'lease expired';
--      any other goes back to READY at its old place (so a claim starting after an expiry can take it);
--   2. scheduled jobs whose run-at is due become READY;
--   3. the first n ready jobs (higher priority, then earlier run-at, then lower id) are LEASED, each with
--      attempt + 1 and a fresh token (from claims + 1), so no other claim can return them while the lease lasts.
-- Steps 1 and 2 handle at most HOUSEKEEPING_LIMIT jobs each per call (see common.lua).

local n = tonumber(ARGV[2])
local now = now_ms()

settle_expired(now)

for _, id in ipairs(redis.call('ZRANGEBYSCORE', SCHEDULED, '-inf', now, 'LIMIT', 0, HOUSEKEEPING_LIMIT)) do
  redis.call('ZREM', SCHEDULED, id)
  make_ready(id)
end

local result = {now, -1}
if n > 0 then
  local members = redis.call('ZRANGE', READY, 0, n - 1)
  if #members > 0 then
    redis.call('ZREMRANGEBYRANK', READY, 0, #members - 1)
  end
  local expires = now + tonumber(ARGV[3])
  for _, member in ipairs(members) do
    local id = id_of(member)
    local key = JOB .. id
    local attempt = redis.call('HINCRBY', key, 'attempt', 1)
    local claims = redis.call('HINCRBY', key, 'claims', 1)
    redis.call('ZADD', LEASED, expires, id)
    local f = redis.call('HMGET', key, 'payload', 'priority', 'max_attempts', 'enqueued_at')
    table.insert(result, id)
    table.insert(result, f[1])
    table.insert(result, tonumber(f[2]))
    table.insert(result, attempt)
    table.insert(result, tonumber(f[3]))
    table.insert(result, tonumber(f[4]))
    table.insert(result, token(id, claims))
  end
end

if #result == 2 then
  local first_scheduled = redis.call('ZRANGE', SCHEDULED, 0, 0, 'WITHSCORES')
  local first_expiry = redis.call('ZRANGE', LEASED, 0, 0, 'WITHSCORES')
  local due = -1
  if first_scheduled[2] then
    due = tonumber(first_scheduled[2])
  end
  if first_expiry[2] and (due < 0 or tonumber(first_expiry[2]) < due) then
    due = tonumber(first_expiry[2])
  end
  result[2] = due
end
return result
