-- stats.lua: counts the queue's jobs by state, as the contract defines them at TIME.
-- KEYS, ARGV[1]: see common.lua.
-- Returns: {ready, scheduled, leased, dead}.
-- Guarantees: read-only and one consistent snapshot. Jobs that housekeeping (claim.lua) has not moved yet are
-- counted where they belong: a due scheduled job as READY; an expired lease as READY, or as DEAD when it was
-- the job's last attempt.

local now = now_ms()
local ready = redis.call('ZCARD', READY) + redis.call('ZCOUNT', SCHEDULED, '-inf', now)
local scheduled = redis.call('ZCOUNT', SCHEDULED, '(' .. now, '+inf')
local leased = redis.call('ZCOUNT', LEASED, '(' .. now, '+inf')
local dead = redis.call('ZCARD', DEAD)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', LEASED, '-inf', now)) do
  local f = redis.call('HMGET', JOB .. id, 'attempt', 'max_attempts')
  if tonumber(f[1]) >= tonumber(f[2]) then
    dead = dead + 1
  else
    ready = ready + 1
  end
end
return {ready, scheduled, leased, dead}
