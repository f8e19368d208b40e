-- enqueue.lua: stores a batch of jobs (one job is a batch of one).
-- KEYS, ARGV[1]: see common.lua.
-- ARGV[2..]: 4 values per job: payload, priority, run-at in ms ('' = now by TIME), max attempts.
-- Returns: the new ids, in the order of the jobs.
-- Guarantees: atomic, all jobs or none (every value is checked before the first write); a job whose run-at is
-- not after TIME is READY at once, otherwise SCHEDULED until then; when any job is ready, one PUBLISH on the
-- queue's wake channel carrying how many, so waiting claims wake up.

local count = (#ARGV - 1) / 4
for i = 0, count - 1 do
  local base = 2 + i * 4
  if not tonumber(ARGV[base + 1]) or not tonumber(ARGV[base + 3])
      or (ARGV[base + 2] ~= '' and not tonumber(ARGV[base + 2])) then
    return redis.error_reply('enqueue: bad priority, run-at or max attempts for job ' .. (i + 1))
  end
end

local now = now_ms()
local ids = {}
for i = 0, count - 1 do
  local base = 2 + i * 4
  local id = redis.call('INCR', SEQ)
  if id == 1 then -- a fresh counter: see common.lua
    id = now * 100
    redis.call('SET', SEQ, string.format('%d', id))
  end
  local id_text = string.format('%d', id) -- Lua would write a number this large with an exponent
  local run_at = now
  if ARGV[base + 2] ~= '' then
    run_at = tonumber(ARGV[base + 2])
  end
  redis.call('HSET', JOB .. id_text, 'payload', ARGV[base], 'priority', ARGV[base + 1], 'max_attempts', ARGV[base + 3],
    'enqueued_at', now, 'run_at', run_at, 'attempt', 0, 'claims', 0)
  if run_at <= now then
    redis.call('ZADD', READY, -tonumber(ARGV[base + 1]), ready_member(run_at, id))
  else
    redis.call('ZADD', SCHEDULED, run_at, id_text)
  end
  ids[i + 1] = id
end
if count > 0 then
  redis.call('PUBLISH', WAKE, count)
end
return ids
