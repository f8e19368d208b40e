-- extend.lua: extends a valid lease.
-- KEYS, ARGV[1]: see common.lua.
-- ARGV[2] id; ARGV[3] token; ARGV[4] new lease duration in ms.
-- Returns: {1} and the lease now ends at TIME + duration; {0} when the lease was not valid (nothing changed).

local id, given = ARGV[2], ARGV[3]
local now = now_ms()
if not lease_valid(id, given, now) then
  return {0}
end
redis.call('ZADD', LEASED, 'XX', now + tonumber(ARGV[4]), id)
return {1}
