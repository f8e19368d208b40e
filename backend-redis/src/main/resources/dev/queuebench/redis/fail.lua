-- fail.lua: settles a leased job as failed.
-- KEYS, ARGV[1]: see common.lua.
-- ARGV[2] id; ARGV[3] token; ARGV[4] error text; ARGV[5] backoff in ms (the client computes it from the attempt).
-- Returns: {0} the lease was not valid and nothing changed; {1, retry_at} SCHEDULED for now + backoff;
-- {2} DEAD, because this was the last attempt.
-- Guarantees: fencing as in complete.lua; the error is kept as the job's last error either way; a retry is
-- announced with one PUBLISH on the wake channel, so a waiting claim learns when it comes due.

local id, given = ARGV[2], ARGV[3]
local now = now_ms()
if not lease_valid(id, given, now) then
  return {0}
end
local key = JOB .. id
redis.call('ZREM', LEASED, id)
redis.call('HSET', key, 'last_error', ARGV[4])
local f = redis.call('HMGET', key, 'attempt', 'max_attempts')
if tonumber(f[1]) >= tonumber(f[2]) then
  redis.call('ZADD', DEAD, now, id)
  return {2}
end
local retry_at = now + tonumber(ARGV[5])
redis.call('HSET', key, 'run_at', retry_at)
redis.call('ZADD', SCHEDULED, retry_at, id)
redis.call('PUBLISH', WAKE, 1)
return {1, retry_at}
