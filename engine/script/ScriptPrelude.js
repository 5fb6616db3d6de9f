// The JS half of swarm's script API, evaluated once in every worker's engine before any module.
// It checks and normalises arguments so each client call crosses into C++ once with plain values,
// and it catches exceptions itself: QJSValue::call cannot tell `throw "text"` from a return.
(function (native) {
    'use strict';

    // Looked up once: a method read from the native object each call costs a name lookup.
    const nativeSendText = native.sendText;
    const nativeSendBinary = native.sendBinary;
    const nativeSendTextCustom = native.sendTextCustom;
    const nativeSendBinaryCustom = native.sendBinaryCustom;

    const THROWN = { error: undefined };

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
                            + 'swarm.bytes(n), swarm.length_prefixed(size, options), swarm.resp() or a '
                            + 'function(bytes) returning how many more bytes the reply needs; got '
                            + describe(parser));
    }

    function send(what, request, id, parser) {
        if (typeof request === 'string') {
            if (id >= 0) nativeSendText(request, id);
            else nativeSendTextCustom(request, parser);
        } else {
            const bytes = toArrayBuffer(what, request);
            if (id >= 0) nativeSendBinary(bytes, id);
            else nativeSendBinaryCustom(bytes, parser);
        }
    }

    // What client calls return, so `yield client.send_for_reply(...)` reads naturally.
    const PENDING = Object.freeze({ pending: true });

    const client = Object.freeze({
        send_for_reply(request, parser) {
            send('client.send_for_reply', request, parserId('client.send_for_reply', parser), parser);
            return PENDING;
        },
        send_noreply(request) {
            send('client.send_noreply', request, 0, undefined);
            return PENDING;
        },
        recv(parser) {
            nativeSendText('', parserId('client.recv', parser));
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
        get vars() { return native.vars(); },
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

    const swarm = Object.freeze({
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
        version: '@SWARM_VERSION@',
    });

    function deepFreeze(v) {
        if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
            Object.freeze(v);
            for (const k of Object.keys(v)) deepFreeze(v[k]);
        }
        return v;
    }

    // Wraps a command so an exception of any type comes back as THROWN. Up to 8 parameters
    // without building an arguments object on every call (the hot path).
    function guard(fn, arity) {
        if (arity > 8) {
            return function (...args) {
                try {
                    return fn(...args);
                } catch (e) {
                    THROWN.error = e;
                    return THROWN;
                }
            };
        }
        return function (a0, a1, a2, a3, a4, a5, a6, a7) {
            try {
                return fn(a0, a1, a2, a3, a4, a5, a6, a7);
            } catch (e) {
                THROWN.error = e;
                return THROWN;
            }
        };
    }

    // Resumes a generator: 1 when it finished, 0 when it yielded, THROWN when it threw.
    function step(gen, value) {
        try {
            return gen.next(value).done ? 1 : 0;
        } catch (e) {
            THROWN.error = e;
            return THROWN;
        }
    }

    // Empty data comes as undefined: V4 refuses a Uint8Array over the ArrayBuffer of an empty
    // QByteArray (its null data pointer looks detached).
    function callParser(fn, bytes) {
        try {
            return fn(bytes ? new Uint8Array(bytes) : new Uint8Array(0));
        } catch (e) {
            THROWN.error = e;
            return THROWN;
        }
    }

    function reply(bytes, text) {
        const b = bytes ? new Uint8Array(bytes) : new Uint8Array(0);
        return { bytes: b, text: text, length: b.length };
    }

    function isGenerator(v) {
        return v !== null && typeof v === 'object' && typeof v.next === 'function'
            && typeof v[Symbol.iterator] === 'function';
    }

    return { client, swarm, guard, step, callParser, reply, deepFreeze, isGenerator, THROWN };
})
