// The JS half of swarm's script API, evaluated once in every worker's engine before any module.
// It checks and normalises arguments so each client call crosses into C++ once with plain values,
// and it catches exceptions itself: QJSValue::call cannot tell `throw "text"` from a return.
(function (native, agentIndex, agentCount) {
    'use strict';

    // swarm.agent: this swarm's place in its fleet (--agent-index I/N; 0 of 1 alone). Fixed for
    // the process, so plain frozen values rather than calls into C++.
    const agent = Object.freeze({
        index: agentIndex === undefined ? 0 : agentIndex,
        count: agentCount === undefined ? 1 : agentCount,
    });

    // Looked up once: a method read from the native object each call costs a name lookup.
    const nativeSendText = native.sendText;
    const nativeSendBinary = native.sendBinary;
    const nativeSendTextCustom = native.sendTextCustom;
    const nativeSendBinaryCustom = native.sendBinaryCustom;
    const nativeUtf8Encode = native.utf8Encode;
    const nativeUtf8Decode = native.utf8Decode;

    // How a send is counted (ScriptOp::Count): a timed request, a message the server pushed
    // (client.recv), or a message sent that is not a request (send_noreply with request: false).
    const REQUEST = 0;
    const PUSHED = 1;
    const MESSAGE_SENT = 2;

    const THROWN = { error: undefined };

    // The calling connection's client.vars while one of its calls runs: handed over by the engine
    // when it resumes a generator, else fetched from it on first use; undefined between calls, so
    // that a use outside a command still fails (native.vars says why).
    let currentVars;

    function describe(v) {
        if (v === null) return 'null';
        if (Array.isArray(v)) return 'an array';
        if (typeof v === 'object') return 'an object';
        return typeof v + ' ' + String(v);
    }

    function toArrayBuffer(what, request) {
        if (request instanceof ArrayBuffer) return request;
        if (ArrayBuffer.isView(request))
            return request.buffer.slice(request.byteOffset, request.byteOffset + request.byteLength);
        if (Array.isArray(request)) return new Uint8Array(request).buffer;
        throw new TypeError(what + ': the request must be a string, a Uint8Array or an ArrayBuffer, not '
                            + describe(request));
    }

    function parserId(what, parser) {
        if (typeof parser === 'function') return -1;
        if (parser !== null && typeof parser === 'object' && typeof parser.__swarm_parser === 'number')
            return parser.__swarm_parser;
        throw new TypeError(what + ': the reply parser must be swarm.crlf(), swarm.line(delimiter), '
                            + 'swarm.bytes(n), swarm.length_prefixed(size, options), swarm.varint_prefixed(options), '
                            + 'swarm.resp() or a '
                            + 'function(bytes) returning how many more bytes the reply needs; got '
                            + describe(parser));
    }

    function send(what, request, id, parser, count) {
        if (typeof request === 'string') {
            if (id >= 0) nativeSendText(request, id, count);
            else nativeSendTextCustom(request, parser, count);
        } else {
            const bytes = toArrayBuffer(what, request);
            if (id >= 0) nativeSendBinary(bytes, id, count);
            else nativeSendBinaryCustom(bytes, parser, count);
        }
    }

    function noreplyCount(options) {
        if (options === undefined) return REQUEST;
        if (options === null || typeof options !== 'object')
            throw new TypeError('client.send_noreply(request, options): options must be an object, got '
                                + describe(options));
        for (const k of Object.keys(options))
            if (k !== 'request')
                throw new TypeError('client.send_noreply: unknown option \'' + k + '\' (options: request)');
        return options.request === false ? MESSAGE_SENT : REQUEST;
    }

    // What client calls return, so `yield client.send_for_reply(...)` reads naturally.
    const PENDING = Object.freeze({ pending: true });

    const client = Object.freeze({
        send_for_reply(request, parser) {
            send('client.send_for_reply', request, parserId('client.send_for_reply', parser), parser,
                 REQUEST);
            return PENDING;
        },
        send_noreply(request, options) {
            send('client.send_noreply', request, 0, undefined, noreplyCount(options));
            return PENDING;
        },
        recv(parser) {
            send('client.recv', '', parserId('client.recv', parser), parser, PUSHED);
            return PENDING;
        },
        sleep(seconds) {
            if (typeof seconds !== 'number' || !(seconds >= 0) || seconds > 86400)
                throw new RangeError('client.sleep(seconds): seconds must be a number from 0 to 86400, got '
                                     + describe(seconds));
            native.sleep(seconds);
            return PENDING;
        },
        close_connection() {
            native.closeConnection();
            return PENDING;
        },
        get vars() { return currentVars !== undefined ? currentVars : (currentVars = native.vars()); },
        // Who this connection is: 0-based and unique in the run (and the fleet), kept across
        // reconnects; the passes through the action list it has started; its data files' rows.
        get id() { return native.identity(0); },
        get iteration() { return native.identity(1); },
        get data() { return native.identity(2); },
        toString() { return '[swarm client]'; },
    });

    const parsers = new Map();
    function parserRef(key, make) {
        let p = parsers.get(key);
        if (p === undefined) {
            p = Object.freeze({ __swarm_parser: make(), parser: key });
            parsers.set(key, p);
        }
        return p;
    }

    function byteKey(v) {
        if (typeof v === 'string') return 's' + v;
        const u = new Uint8Array(toArrayBuffer('swarm.line(delimiter)', v));
        return 'b' + Array.prototype.join.call(u, ',');
    }


    // ---- binary helpers: bytes in, bytes out (Uint8Array) ----

    function asBytes(what, v) {
        if (v instanceof Uint8Array) return v;
        if (typeof v === 'string') return new Uint8Array(nativeUtf8Encode(v));
        if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        if (v instanceof ArrayBuffer) return new Uint8Array(v);
        if (Array.isArray(v)) {
            for (const b of v)
                if (!Number.isInteger(b) || b < 0 || b > 255)
                    throw new RangeError(what + ': an array of bytes holds integers from 0 to 255, found '
                                         + describe(b));
            return new Uint8Array(v);
        }
        throw new TypeError(what + ': expected a string, a Uint8Array, an ArrayBuffer or an array of '
                            + 'bytes, got ' + describe(v));
    }

    function checkUint(what, v, max) {
        if (!Number.isInteger(v) || v < 0 || v > max)
            throw new RangeError(what + ': the value must be an integer from 0 to ' + max + ', got '
                                 + describe(v));
    }

    // Writes `size` bytes of v, big- or little-endian. Above 2^32 the high part comes from division:
    // bitwise operators work on 32 bits only.
    function encodeUint(what, v, size, little, max) {
        checkUint(what, v, max);
        const out = new Uint8Array(size);
        let lo = v % 4294967296;
        let hi = Math.floor(v / 4294967296);
        for (let i = 0; i < size; ++i) {
            const at = little ? i : size - 1 - i;
            if (i < 4) {
                out[at] = lo & 0xff;
                lo = Math.floor(lo / 256);
            } else {
                out[at] = hi & 0xff;
                hi = Math.floor(hi / 256);
            }
        }
        return out;
    }

    function decodeUint(what, bytes, offset, size, little) {
        const b = asBytes(what, bytes);
        const at = offset === undefined ? 0 : offset;
        if (!Number.isInteger(at) || at < 0 || at + size > b.length)
            throw new RangeError(what + '(bytes, offset): ' + size + ' bytes at offset '
                                 + (Number.isInteger(at) ? at : describe(offset)) + ' do not fit in '
                                 + b.length + ' bytes');
        let v = 0;
        for (let i = 0; i < size; ++i)
            v = v * 256 + b[at + (little ? size - 1 - i : i)];
        if (v > Number.MAX_SAFE_INTEGER)
            throw new RangeError(what + ': the value is above 2^53 and cannot be a JavaScript number exactly');
        return v;
    }

    // Unsigned LEB128: 7 bits a byte, least significant first, the high bit says "more follows".
    // MQTT's remaining length and protobuf's varints are both this encoding.
    function encodeVarint(v) {
        checkUint('swarm.varint', v, Number.MAX_SAFE_INTEGER);
        const out = [];
        do {
            let b = v % 128;
            v = Math.floor(v / 128);
            if (v > 0) b |= 0x80;
            out.push(b);
        } while (v > 0);
        return new Uint8Array(out);
    }

    // {value, length}, or null when the bytes end before the varint does.
    function decodeVarint(bytes, offset) {
        const b = asBytes('swarm.read_varint', bytes);
        const at = offset === undefined ? 0 : offset;
        if (!Number.isInteger(at) || at < 0)
            throw new RangeError('swarm.read_varint(bytes, offset): offset must be a non-negative integer, got '
                                 + describe(offset));
        let value = 0;
        let scale = 1;
        for (let i = 0; i < 8; ++i) {
            if (at + i >= b.length) return null;
            const byte = b[at + i];
            value += (byte & 0x7f) * scale;
            scale *= 128;
            if ((byte & 0x80) === 0) return { value: value, length: i + 1 };
        }
        throw new RangeError('swarm.read_varint: more than 8 bytes with the continuation bit set at offset '
                             + at);
    }

    function concat(...parts) {
        const arrays = parts.map((p, i) => asBytes('swarm.concat (part ' + (i + 1) + ')', p));
        let total = 0;
        for (const a of arrays) total += a.length;
        const out = new Uint8Array(total);
        let at = 0;
        for (const a of arrays) {
            out.set(a, at);
            at += a.length;
        }
        return out;
    }

    function utf8Decode(bytes, start, end) {
        const b = asBytes('swarm.utf8_decode', bytes);
        const from = start === undefined ? 0 : start;
        const to = end === undefined ? b.length : end;
        if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > b.length || from > to)
            throw new RangeError('swarm.utf8_decode(bytes, start, end): [' + describe(start) + ', '
                                 + describe(end) + ') is not a range of ' + b.length + ' bytes');
        const view = b.subarray(from, to);
        return nativeUtf8Decode(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    }

    const U32 = 4294967295;
    const U64 = Number.MAX_SAFE_INTEGER;
    const binary = {
        utf8_encode(text) {
            if (typeof text !== 'string')
                throw new TypeError('swarm.utf8_encode(text): text must be a string, got ' + describe(text));
            return new Uint8Array(nativeUtf8Encode(text));
        },
        utf8_decode: utf8Decode,
        concat: concat,
        u8(v) { return encodeUint('swarm.u8', v, 1, false, 255); },
        u16be(v) { return encodeUint('swarm.u16be', v, 2, false, 65535); },
        u16le(v) { return encodeUint('swarm.u16le', v, 2, true, 65535); },
        u32be(v) { return encodeUint('swarm.u32be', v, 4, false, U32); },
        u32le(v) { return encodeUint('swarm.u32le', v, 4, true, U32); },
        u64be(v) { return encodeUint('swarm.u64be', v, 8, false, U64); },
        u64le(v) { return encodeUint('swarm.u64le', v, 8, true, U64); },
        read_u8(b, at) { return decodeUint('swarm.read_u8', b, at, 1, false); },
        read_u16be(b, at) { return decodeUint('swarm.read_u16be', b, at, 2, false); },
        read_u16le(b, at) { return decodeUint('swarm.read_u16le', b, at, 2, true); },
        read_u32be(b, at) { return decodeUint('swarm.read_u32be', b, at, 4, false); },
        read_u32le(b, at) { return decodeUint('swarm.read_u32le', b, at, 4, true); },
        read_u64be(b, at) { return decodeUint('swarm.read_u64be', b, at, 8, false); },
        read_u64le(b, at) { return decodeUint('swarm.read_u64le', b, at, 8, true); },
        varint: encodeVarint,
        read_varint: decodeVarint,
    };

    const swarm = Object.freeze(Object.assign(binary, {
        crlf() { return parserRef('crlf', () => native.parser('crlf', 0, 0, 0, 0)); },
        line(delimiter) {
            if (delimiter === undefined) delimiter = '\n';
            if (typeof delimiter !== 'string' && !(delimiter instanceof ArrayBuffer) && !ArrayBuffer.isView(delimiter))
                throw new TypeError('swarm.line(delimiter): the delimiter must be a string or bytes, got '
                                    + describe(delimiter));
            const d = typeof delimiter === 'string' ? delimiter : toArrayBuffer('swarm.line', delimiter);
            return parserRef('line:' + byteKey(delimiter), () => native.parser('line', d, 0, 0, 0));
        },
        bytes(n) {
            if (!Number.isInteger(n) || n < 0)
                throw new RangeError('swarm.bytes(n): n must be a non-negative integer, got ' + describe(n));
            return parserRef('bytes:' + n, () => native.parser('bytes', n, 0, 0, 0));
        },
        length_prefixed(size, options) {
            if (size !== 1 && size !== 2 && size !== 4 && size !== 8)
                throw new RangeError('swarm.length_prefixed(size, options): size must be 1, 2, 4 or 8, got '
                                     + describe(size));
            const o = options === undefined ? {} : options;
            if (o === null || typeof o !== 'object')
                throw new TypeError('swarm.length_prefixed(size, options): options must be an object, got '
                                    + describe(options));
            for (const k of Object.keys(o))
                if (k !== 'endian' && k !== 'includes_header' && k !== 'offset')
                    throw new TypeError('swarm.length_prefixed: unknown option \'' + k
                                        + '\' (options: endian, includes_header, offset)');
            const endian = o.endian === undefined ? 'big' : o.endian;
            if (endian !== 'big' && endian !== 'little')
                throw new RangeError('swarm.length_prefixed: endian must be \'big\' or \'little\', got '
                                     + describe(endian));
            const offset = o.offset === undefined ? 0 : o.offset;
            if (!Number.isInteger(offset) || offset < 0 || offset > 65536)
                throw new RangeError('swarm.length_prefixed: offset must be an integer from 0 to 65536, got '
                                     + describe(offset));
            const inc = !!o.includes_header;
            return parserRef('lp:' + size + ':' + endian + ':' + inc + ':' + offset,
                             () => native.parser('length_prefixed', size, endian === 'little', inc, offset));
        },
        resp() { return parserRef('resp', () => native.parser('resp', 0, 0, 0, 0)); },
        varint_prefixed(options) {
            const o = options === undefined ? {} : options;
            if (o === null || typeof o !== 'object')
                throw new TypeError('swarm.varint_prefixed(options): options must be an object, got '
                                    + describe(options));
            for (const k of Object.keys(o))
                if (k !== 'offset' && k !== 'max_bytes')
                    throw new TypeError('swarm.varint_prefixed: unknown option \'' + k
                                        + '\' (options: offset, max_bytes)');
            const offset = o.offset === undefined ? 0 : o.offset;
            if (!Number.isInteger(offset) || offset < 0 || offset > 65536)
                throw new RangeError('swarm.varint_prefixed: offset must be an integer from 0 to 65536, got '
                                     + describe(offset));
            const maxBytes = o.max_bytes === undefined ? 5 : o.max_bytes;
            if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > 8)
                throw new RangeError('swarm.varint_prefixed: max_bytes must be an integer from 1 to 8, got '
                                     + describe(maxBytes));
            return parserRef('vp:' + offset + ':' + maxBytes,
                             () => native.parser('varint_prefixed', offset, maxBytes, 0, 0));
        },
        version: '@SWARM_VERSION@',
        agent: agent,
    }));

    function deepFreeze(v) {
        if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
            Object.freeze(v);
            for (const k of Object.keys(v)) deepFreeze(v[k]);
        }
        return v;
    }

    // A generator command's first step, in the call that made the generator: the generator
    // when it yielded, undefined when it finished at once.
    function started(gen) {
        return gen.next().done ? undefined : gen;
    }

    // Wraps a command so an exception of any type comes back as THROWN. Up to 8 parameters
    // without building an arguments object on every call (the hot path). A generator command
    // (`steps`) is also run to its first yield: see started().
    function guard(fn, arity, steps) {
        if (arity > 8) {
            return function (...args) {
                try {
                    return steps ? started(fn(...args)) : fn(...args);
                } catch (e) {
                    THROWN.error = e;
                    return THROWN;
                } finally {
                    currentVars = undefined;
                }
            };
        }
        if (steps) {
            return function (a0, a1, a2, a3, a4, a5, a6, a7) {
                try {
                    return started(fn(a0, a1, a2, a3, a4, a5, a6, a7));
                } catch (e) {
                    THROWN.error = e;
                    return THROWN;
                } finally {
                    currentVars = undefined;
                }
            };
        }
        return function (a0, a1, a2, a3, a4, a5, a6, a7) {
            try {
                return fn(a0, a1, a2, a3, a4, a5, a6, a7);
            } catch (e) {
                THROWN.error = e;
                return THROWN;
            } finally {
                currentVars = undefined;
            }
        };
    }

    // Resumes a generator with `value` (undefined, or a Reply): 1 when it finished, 0 when it
    // yielded, THROWN when it threw. `vars` is the connection's client.vars (undefined until its
    // first use).
    function step(gen, value, vars) {
        currentVars = vars;
        try {
            return gen.next(value).done ? 1 : 0;
        } catch (e) {
            THROWN.error = e;
            return THROWN;
        } finally {
            currentVars = undefined;
        }
    }

    // The `r` of `const r = yield client.send_for_reply(...)`, made in the same call that resumes
    // the generator (one crossing from C++ per reply). `text` and `length` are plain properties;
    // `bytes`, which most scripts never read, is made on first use from the reply's own copy
    // (`buffer`: an ArrayBuffer, undefined for an empty reply: V4 refuses a Uint8Array over the
    // ArrayBuffer of an empty QByteArray, whose null data pointer looks detached).
    const BUFFER = Symbol('buffer');
    class Reply {
        constructor(buffer, text, length) {
            this.text = text;
            this.length = length;
            this[BUFFER] = buffer;
        }
        get bytes() {
            const b = this[BUFFER] === undefined ? new Uint8Array(0) : new Uint8Array(this[BUFFER]);
            Object.defineProperty(this, 'bytes',
                                  { value: b, writable: true, enumerable: true, configurable: true });
            return b;
        }
    }

    function stepWithReply(gen, buffer, text, length, vars) {
        return step(gen, new Reply(buffer, text, length), vars);
    }

    // A custom parser reads a view of one buffer the engine refills for each call (no copy made
    // here, no buffer per call): the buffer is replaced only when a reply outgrows it. The view of
    // each length is made once and kept (at most kMaxViews of them): in Qt 6.4's engine a
    // `subarray` per call cost more than a whole plain parser call (callgrind: its species
    // constructor look-up and the typed array's named-property path), and a workload's replies
    // come in few lengths. Views refuse new properties, so nothing a parser attaches to one
    // reaches the next call.
    const kMaxViews = 1024;
    let parserBuffer = new ArrayBuffer(0);
    let parserViews = [];
    let parserViewCount = 0;
    function setParserBuffer(buffer) {
        parserBuffer = buffer;
        parserViews = [];
        parserViewCount = 0;
    }

    function parserView(size) {
        let view = parserViews[size];
        if (view !== undefined) return view;
        view = Object.preventExtensions(new Uint8Array(parserBuffer, 0, size));
        if (parserViewCount < kMaxViews) {
            parserViews[size] = view;
            ++parserViewCount;
        }
        return view;
    }

    function callParser(fn, size) {
        try {
            return fn(parserView(size), size);
        } catch (e) {
            THROWN.error = e;
            return THROWN;
        }
    }

    function isGenerator(v) {
        return v !== null && typeof v === 'object' && typeof v.next === 'function'
            && typeof v[Symbol.iterator] === 'function';
    }

    return { client, swarm, guard, step, stepWithReply, callParser, setParserBuffer,
             deepFreeze, isGenerator, THROWN };
})
