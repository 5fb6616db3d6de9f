// redis: inline commands, replies parsed as RESP. For loading a redis-server, and the workload
// of swarm's benchmarks (ping with no sleeps).

const LINE = swarm.crlf();
const RESP = swarm.resp();

// Inline commands are words separated by spaces: refuse what would change their meaning.
function _inline(...words) {
    for (const w of words) {
        const s = String(w);
        if (s === '' || /[\s"']/.test(s))
            throw new Error(`redis inline command: '${s}' must be a non-empty word without blanks or quotes`);
    }
    return words.join(' ') + '\r\n';
}

function ping(client) {
    client.send_for_reply('PING\r\n', LINE);
}

// The same request read by a generator: checks the reply and counts the pongs in client.vars, as
// a real module does (bench/run.sh's `generator` benchmark measures what that costs).
function* ping_checked(client) {
    const reply = yield client.send_for_reply('PING\r\n', LINE);
    if (reply.text !== '+PONG\r\n')
        throw new Error(`PING: expected +PONG, got ${JSON.stringify(reply.text)}`);
    client.vars.pongs = (client.vars.pongs || 0) + 1;
}

function set(client, key = 'swarm:key', value = 'value') {
    client.send_for_reply(_inline('SET', key, value), RESP);
}

function get(client, key = 'swarm:key') {
    client.send_for_reply(_inline('GET', key), RESP);
}

// Reads the reply: fails the connection (a script error) if the value is not the expected one.
function* get_checked(client, key = 'swarm:key', expect = 'value') {
    const reply = yield client.send_for_reply(_inline('GET', key), RESP);
    const want = `$${expect.length}\r\n${expect}\r\n`;
    if (reply.text !== want)
        throw new Error(`GET ${key}: expected ${JSON.stringify(expect)}, got ${JSON.stringify(reply.text)}`);
}

function incr(client, key = 'swarm:counter') {
    client.send_for_reply(_inline('INCR', key), RESP);
}

function close_connection(client) {
    client.close_connection();
}
