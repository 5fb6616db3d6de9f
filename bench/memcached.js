// memcached (text protocol): the workload of bench/run.sh's `threads` benchmark, and a small example
// of a custom reply parser. See bench/memcached.yml.

const LINE = swarm.crlf();

// memcached keys: 1 to 250 bytes, no whitespace or control characters.
function _key(k) {
    const s = String(k);
    if (s === '' || s.length > 250 || /[\s\x00-\x1f]/.test(s))
        throw new Error(`memcached key '${s}': 1 to 250 characters, no blanks or control characters`);
    return s;
}

// The number of bytes of a UTF-8 string: the length field of `set` counts bytes, not characters.
function _utf8Length(s) {
    let n = 0;
    for (let i = 0; i < s.length; ++i) {
        const c = s.charCodeAt(i);
        if (c < 0x80) n += 1;
        else if (c < 0x800) n += 2;
        else if (c >= 0xd800 && c <= 0xdbff) { n += 4; ++i; }  // a surrogate pair: one 4-byte character
        else n += 3;
    }
    return n;
}

const CR = 13, LF = 10, SPACE = 32, ZERO = 48;
// The byte values of what the parser compares with: made once, not at every call. A custom
// parser runs in QJSEngine's interpreter several times per reply, so it reads `bytes.length`
// once and builds no strings (docs/PROTOCOLS.md).
const END = [69, 78, 68, CR, LF];                    // "END\r\n"
const VALUE = [86, 65, 76, 85, 69, SPACE];           // "VALUE "

// Where the first "\r\n" of `bytes` ends (the index after LF), or -1 when there is none yet.
function _lineEnd(bytes, n) {
    for (let i = 1; i < n; ++i)
        if (bytes[i] === LF && bytes[i - 1] === CR)
            return i + 1;
    return -1;
}

function _startsWith(bytes, n, prefix) {
    const k = prefix.length;
    if (n < k) return false;
    for (let i = 0; i < k; ++i)
        if (bytes[i] !== prefix[i]) return false;
    return true;
}

// The data length of a VALUE header "VALUE <key> <flags> <bytes>[ <cas>]\r\n" (its 4th field, read
// from the bytes), or -1 when it is not a number.
function _valueSize(bytes, headerEnd) {
    let field = 0, size = -1;
    for (let i = 0; i < headerEnd - 2; ++i) {
        const b = bytes[i];
        if (b === SPACE) {
            if (++field > 3) break;
            continue;
        }
        if (field !== 3) continue;
        if (b < ZERO || b > ZERO + 9) return -1;
        size = (size < 0 ? 0 : size * 10) + (b - ZERO);
    }
    return size;
}

// The reply to a one-key `get`: "END\r\n" (a miss) or "VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n".
// A custom parser (docs/PROTOCOLS.md): returns how many more bytes are needed, 0 when the reply
// is complete, -1 (a protocol error) for anything else (ERROR, CLIENT_ERROR, SERVER_ERROR...).
// The data block may hold any bytes, "END\r\n" included, so its length is taken from the header.
// `n` is bytes.length, handed over by swarm: reading `length` of a Uint8Array is slow in QJSEngine.
function _getReply(bytes, n) {
    if (n < 5) return 5 - n;                                // "END\r\n" is the shortest reply
    if (_startsWith(bytes, n, END)) return n === 5 ? 0 : -1;
    // Each call of a custom parser costs a JavaScript call (microseconds), so never ask for one
    // byte at a time: ask for the fewest bytes the reply must still have, never more (more would
    // wait for bytes that never come).
    if (!_startsWith(bytes, n, VALUE)) {
        if (n < VALUE.length && _startsWith(bytes, n, VALUE.slice(0, n)))
            return 20 - n;                                   // "VALUE" so far: see below
        if (_lineEnd(bytes, n) >= 0 || n >= 1024) return -1;  // ERROR, SERVER_ERROR ...
        return bytes[n - 1] === CR ? 1 : 2;                    // the rest of the line
    }
    // "VALUE k f n\r\n" + "\r\nEND\r\n" is at least 20 bytes (a 1-byte key, empty data).
    if (n < 20) return 20 - n;
    const headerEnd = _lineEnd(bytes, n);
    if (headerEnd < 0) {                                    // the header line is not complete yet:
        if (n >= 1024) return -1;                           // its end, then "\r\nEND\r\n" at least
        return (bytes[n - 1] === CR ? 1 : 2) + 7;
    }
    const size = _valueSize(bytes, headerEnd);
    if (size < 0) return -1;
    const total = headerEnd + size + 2 + 5;                 // data, "\r\n", "END\r\n"
    if (n < total) return total - n;
    for (let i = 0; i < 5; ++i)
        if (bytes[total - 5 + i] !== END[i]) return -1;
    return 0;
}

// `get` of one key, hit or miss, read with the custom parser above.
function get(client, key = 'swarm:bench') {
    client.send_for_reply(`get ${_key(key)}\r\n`, _getReply);
}

// Stores `value`; memcached answers one line, STORED (checked).
function* set(client, key = 'swarm:bench', value = 'value') {
    const v = String(value);
    const reply = yield client.send_for_reply(`set ${_key(key)} 0 0 ${_utf8Length(v)}\r\n${v}\r\n`, LINE);
    if (reply.text !== 'STORED\r\n')
        throw new Error(`set ${key}: expected STORED, got ${JSON.stringify(reply.text)}`);
}

// "version\r\n" -> "VERSION 1.6.18\r\n": one line, a native parser, no JavaScript per reply. memcached
// counts no statistic for it: a run of it is judged by swarm's own report.
function version(client) {
    client.send_for_reply('version\r\n', LINE);
}

// `get` of one key read with a native parser: the reply ends with the first "END\r\n". Exact as long
// as the stored value never holds "END\r\n" (true of the benchmark's value); no JavaScript runs
// per reply, as for redis' ping, so the `threads` benchmark measures swarm rather than QJSEngine.
const UNTIL_END = swarm.line('END\r\n');

function get_line(client, key = 'swarm:bench') {
    client.send_for_reply(`get ${_key(key)}\r\n`, UNTIL_END);
}
