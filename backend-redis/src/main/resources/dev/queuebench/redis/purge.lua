-- purge.lua: removes every job of the queue in every state.
-- KEYS, ARGV[1]: see common.lua.
-- Returns: {how many jobs were removed}.
-- Guarantees: atomic; touches only this queue's keys; keeps the id counter (KEYS[5]), so ids are not reused
-- and a lease token from before the purge can never match a later job.

local removed = 0
for _, member in ipairs(ids_in(READY)) do
  redis.call('DEL', JOB .. id_of(member))
  removed = removed + 1
end
for _, key in ipairs({SCHEDULED, LEASED, DEAD}) do
  for _, id in ipairs(ids_in(key)) do
    redis.call('DEL', JOB .. id)
    removed = removed + 1
  end
end
redis.call('DEL', READY, SCHEDULED, LEASED, DEAD)
return {removed}
