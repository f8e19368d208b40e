-- dead_letters.lua: reads the oldest dead jobs.
-- KEYS, ARGV[1]: see common.lua.
-- ARGV[2] limit.
-- Returns: 5 values per dead job, oldest death first: id, payload, attempts, last error, enqueued at.
-- Guarantees: one atomic step at TIME: expired leases are settled first (settle_expired in common.lua), so a job
-- whose last lease has expired is listed with error 'lease expired'; then one consistent snapshot.

settle_expired(now_ms())
local result = {}
for _, id in ipairs(redis.call('ZRANGE', DEAD, 0, tonumber(ARGV[2]) - 1)) do
  local f = redis.call('HMGET', JOB .. id, 'payload', 'attempt', 'last_error', 'enqueued_at')
  table.insert(result, id)
  table.insert(result, f[1])
  table.insert(result, tonumber(f[2]))
  table.insert(result, f[3] or '')
  table.insert(result, tonumber(f[4]))
end
return result
