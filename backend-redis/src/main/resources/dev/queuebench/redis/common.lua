-- common.lua: prepended to every script below before SCRIPT LOAD (see Scripts.java).
--
-- Every script is called with the same KEYS, all of one queue and all under one hash tag {prefix:queue},
-- so a script touches a single slot and runs unchanged on Redis Cluster:
--   KEYS[1] ready      sorted set; score = -priority, member = ready_member(run_at, id) (see below)
--   KEYS[2] scheduled  sorted set; score = run-at in ms, member = id  (delayed jobs and retries in backoff)
--   KEYS[3] leased     sorted set; score = lease expiry in ms, member = id
--   KEYS[4] dead       sorted set; score = time of death in ms, member = id
--   KEYS[5] seq        counter of ids; never reset, and a counter that starts afresh (a new queue, or a server that
--                      lost its data) starts at the time in units of 10 us, above every id the queue had before:
--                      an id is never reused in a queue unless it averaged 100,000 enqueues a second all its life
-- and ARGV[1] = the key base '{prefix:queue}'; the job of id N is the hash '{prefix:queue}:job:N' with fields
--   payload, priority, max_attempts, enqueued_at (ms), run_at (ms, the ordering key), attempt (claims since
--   enqueue or requeue), claims (claims ever, never reset), last_error.
--
-- Clock: Redis TIME, read inside the script (Redis 7 replicates scripts by effects), never the client's.
-- Lease token: 'id-claims' (see token()), unique per claim of any job of the queue. A lease is valid iff the job
-- is in the leased set with an expiry after now and its token is the job's current one.

local READY, SCHEDULED, LEASED, DEAD, SEQ = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local JOB = ARGV[1] .. ':job:'
local WAKE = ARGV[1] .. ':wake'

-- Now by the server's clock, in milliseconds.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Jobs of one priority share a score; Redis orders equal scores by member, so the member is the run-at
-- (15 digits of ms) then the id (15 digits): earlier run-at first, then enqueue order.
local function ready_member(run_at, id)
  return string.format('%015d%015d', run_at, id)
end

local function id_of(member)
  return string.format('%d', tonumber(string.sub(member, 16)))
end

-- Puts the job into the ready set under its priority and run-at.
local function make_ready(id)
  local f = redis.call('HMGET', JOB .. id, 'priority', 'run_at')
  redis.call('ZADD', READY, -tonumber(f[1]), ready_member(tonumber(f[2]), id))
end

-- The token of the job's current lease.
local function token(id, claims)
  return id .. '-' .. claims
end

-- True when the lease named by token is the job's current one and has not expired at now.
local function lease_valid(id, given, now)
  local expires = redis.call('ZSCORE', LEASED, id)
  if not expires or tonumber(expires) <= now then
    return false
  end
  local claims = redis.call('HGET', JOB .. id, 'claims')
  return claims and token(id, claims) == given
end

-- Every id of one sorted set.
local function ids_in(key)
  return redis.call('ZRANGE', key, 0, -1)
end

-- Housekeeping handles at most this many jobs of each kind per call, to bound the time Redis is busy.
local HOUSEKEEPING_LIMIT = 1000

-- Settles up to HOUSEKEEPING_LIMIT leases expired at now: a job on its last attempt becomes DEAD with error
-- 'lease expired'; any other goes back to READY at its old place (so a claim starting after an expiry can take it).
local function settle_expired(now)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', LEASED, '-inf', now, 'LIMIT', 0, HOUSEKEEPING_LIMIT)) do
    redis.call('ZREM', LEASED, id)
    local f = redis.call('HMGET', JOB .. id, 'attempt', 'max_attempts')
    if tonumber(f[1]) >= tonumber(f[2]) then
      redis.call('HSET', JOB .. id, 'last_error', 'lease expired')
      redis.call('ZADD', DEAD, now, id)
    else
      make_ready(id)
    end
  end
end
