// redis20: twenty redis commands, each its own function, so that a run reports twenty commands
// (one per function). The workload of bench/run.sh's `scale` benchmark (bench/scale.yml): what
// the once-a-second work (merging the workers' reports, status, stats json, the window's charts
// and tables) costs when a scenario has many commands. Half are generators that read and check
// their reply, as a real module does. The keys are shared by every connection and stay small:
// the list gains an element in rpush and loses one in lpop, the set and hashes keep one member.

const RESP = swarm.resp();

function* _expect(client, request, want) {
    const r = yield client.send_for_reply(request, RESP);
    if (r.text !== want)
        throw new Error(`${request.trim()}: expected ${JSON.stringify(want)}, got ${JSON.stringify(r.text)}`);
    return r;
}

function ping(client) {
    client.send_for_reply('PING\r\n', RESP);
}

function* echo(client) {
    yield* _expect(client, 'ECHO hello\r\n', '$5\r\nhello\r\n');
}

function* set(client) {
    yield* _expect(client, 'SET swarm:s20:key value\r\n', '+OK\r\n');
}

function* get(client) {
    yield* _expect(client, 'GET swarm:s20:key\r\n', '$5\r\nvalue\r\n');
}

function incr(client) {
    client.send_for_reply('INCR swarm:s20:counter\r\n', RESP);
}

function decr(client) {
    client.send_for_reply('DECR swarm:s20:counter\r\n', RESP);
}

function* exists(client) {
    yield* _expect(client, 'EXISTS swarm:s20:key\r\n', ':1\r\n');
}

function* strlen(client) {
    yield* _expect(client, 'STRLEN swarm:s20:key\r\n', ':5\r\n');
}

function getrange(client) {
    client.send_for_reply('GETRANGE swarm:s20:key 0 2\r\n', RESP);
}

function hset(client) {
    client.send_for_reply('HSET swarm:s20:hash field value\r\n', RESP);
}

function* hget(client) {
    yield* _expect(client, 'HGET swarm:s20:hash field\r\n', '$5\r\nvalue\r\n');
}

function hincrby(client) {
    client.send_for_reply('HINCRBY swarm:s20:hash n 1\r\n', RESP);
}

function hlen(client) {
    client.send_for_reply('HLEN swarm:s20:hash\r\n', RESP);
}

function rpush(client) {
    client.send_for_reply('RPUSH swarm:s20:list x\r\n', RESP);
}

function lpop(client) {
    client.send_for_reply('LPOP swarm:s20:list\r\n', RESP);
}

function sadd(client) {
    client.send_for_reply('SADD swarm:s20:set member\r\n', RESP);
}

function* sismember(client) {
    yield* _expect(client, 'SISMEMBER swarm:s20:set member\r\n', ':1\r\n');
}

function zadd(client) {
    client.send_for_reply('ZADD swarm:s20:zset 1 member\r\n', RESP);
}

function* zscore(client) {
    yield* _expect(client, 'ZSCORE swarm:s20:zset member\r\n', '$1\r\n1\r\n');
}

function* type(client) {
    yield* _expect(client, 'TYPE swarm:s20:zset\r\n', '+zset\r\n');
}
