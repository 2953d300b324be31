-- One token from a client's bucket, atomically. KEYS[1] bucket hash, KEYS[2] today's usage hash.
-- ARGV: refill rate (tokens per ms), burst, now (epoch ms), daily quota (-1: none), usage ttl (s).
-- Returns {outcome (0 allowed, 1 rate limited, 2 quota), whole tokens left, retry after ms,
--          ms until full, allowed today}. Integers only: Redis truncates Lua numbers.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local quota = tonumber(ARGV[4])
local usage_ttl = tonumber(ARGV[5])

local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
-- replicas' clocks differ slightly: never move time backwards
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
tokens = math.min(tokens, burst)

local used = tonumber(redis.call('HGET', KEYS[2], 'allowed') or '0')
local outcome = 0
local retry = 0
if quota >= 0 and used >= quota then
  outcome = 2
elseif tokens >= 1 then
  tokens = tokens - 1
else
  outcome = 1
  retry = math.ceil((1 - tokens) / rate)
end

redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%d', ts))
local full = math.ceil((burst - tokens) / rate)
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.min(full + 1000, 3024000000)))
if outcome == 0 then
  used = redis.call('HINCRBY', KEYS[2], 'allowed', 1)
else
  redis.call('HINCRBY', KEYS[2], 'rejected', 1)
end
redis.call('EXPIRE', KEYS[2], usage_ttl)
return {outcome, math.floor(tokens), retry, full, used}
