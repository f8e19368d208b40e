-- complete.lua: settles leased jobs as done (one job is a batch of one).
-- KEYS, ARGV[1]: see common.lua.
-- ARGV[2..]: pairs of id, token.
-- Returns: one integer per pair, in order: 1 = the lease was valid and the job is gone; 0 = the lease was not
-- valid (another claim holds the job, it expired, or the job is gone) and nothing changed.
-- Guarantees: fencing on the token and on the expiry by TIME, each job answered on its own, atomic as a whole.

local now = now_ms()
local answers = {}
for i = 2, #ARGV, 2 do
  local id, given = ARGV[i], ARGV[i + 1]
  if lease_valid(id, given, now) then
    redis.call('ZREM', LEASED, id)
    redis.call('DEL', JOB .. id)
    table.insert(answers, 1)
  else
    table.insert(answers, 0)
  end
end
return answers
