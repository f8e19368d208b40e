-- requeue_dead.lua: moves every dead job of the queue back to ready.
-- KEYS, ARGV[1]: see common.lua.
-- Returns: {how many jobs moved}.
-- Guarantees: atomic; expired leases are settled first (settle_expired in common.lua), so a job whose last lease
-- has expired is requeued too; each job is READY with attempt 0, no last error and run-at = TIME (behind the jobs
-- already waiting at its priority); its claims counter is kept, so tokens of its old leases stay invalid.
-- One PUBLISH on the wake channel when any job moved.

local now = now_ms()
settle_expired(now)
local ids = ids_in(DEAD)
for _, id in ipairs(ids) do
  redis.call('HSET', JOB .. id, 'attempt', 0, 'run_at', now)
  redis.call('HDEL', JOB .. id, 'last_error')
  make_ready(id)
end
redis.call('DEL', DEAD)
if #ids > 0 then
  redis.call('PUBLISH', WAKE, #ids)
end
return {#ids}
