// MQTT 3.1.1 (OASIS standard, 2014) over plain TCP: connect, subscribe, publish at QoS 0 and 1,
// the messages the broker pushes (read with client.recv and acknowledged), ping, disconnect.
//
// Every packet starts with a fixed header: one type-and-flags byte, then the "remaining length"
// as a varint of 1 to 4 bytes. swarm.varint_prefixed reads that framing natively: no JavaScript
// runs per packet to find where it ends.
const PACKET = swarm.varint_prefixed({offset: 1, max_bytes: 4});

const CONNECT = 0x10;
const CONNACK = 0x20;
const PUBLISH = 0x30;
const PUBACK = 0x40;
const SUBSCRIBE = 0x82; // SUBSCRIBE's fixed header carries the reserved flags 0010
const SUBACK = 0x90;
const PINGREQ = 0xc0;
const PINGRESP = 0xd0;
const DISCONNECT = 0xe0;

// A length-prefixed UTF-8 string, as MQTT writes topic names and client ids.
function _str(text) {
    const bytes = swarm.utf8_encode(text);
    return swarm.concat(swarm.u16be(bytes.length), bytes);
}

function _packet(header, ...body) {
    const payload = swarm.concat(...body);
    return swarm.concat([header], swarm.varint(payload.length), payload);
}

function _nextId(client) {
    client.vars.packetId = (client.vars.packetId || 0) % 65535 + 1;
    return client.vars.packetId;
}

// '{id}' in a topic is the connection's client id: each connection can have topics of its own.
function _topic(client, topic) {
    return topic.split('{id}').join(client.vars.clientId);
}

// Where the varint ends: the packet's variable header starts there.
function _bodyStart(bytes) {
    return 1 + swarm.read_varint(bytes, 1).length;
}

// A PUBLISH the broker pushed: counted in client.vars, acknowledged when it is QoS 1. The
// acknowledgement is a message, not a request to time: {request: false}.
function _onPublish(client, bytes) {
    const qos = (bytes[0] >> 1) & 3;
    let at = _bodyStart(bytes);
    const topicLength = swarm.read_u16be(bytes, at);
    at += 2 + topicLength;
    client.vars.received = (client.vars.received || 0) + 1;
    if (client.vars.awaiting > 0) client.vars.awaiting--;
    if (qos === 1) {
        const id = swarm.read_u16be(bytes, at);
        client.send_noreply(_packet(PUBACK, swarm.u16be(id)), {request: false});
    } else if (qos === 2) {
        throw new Error('the broker pushed a QoS 2 message: this module subscribes at QoS 0 or 1 only');
    }
}

// Reads packets until one of `type` (and, when given, this packet id) arrives; PUBLISH packets
// pushed in between are handled as they come. `first` is the packet send_for_reply already read.
function* _until(client, first, type, id) {
    let bytes = first.bytes;
    for (;;) {
        const got = bytes[0] & 0xf0;
        if (got === (type & 0xf0) && (id === undefined || swarm.read_u16be(bytes, _bodyStart(bytes)) === id))
            return bytes;
        if (got === PUBLISH)
            _onPublish(client, bytes);
        else
            throw new Error(`expected packet type 0x${type.toString(16)}, got 0x${bytes[0].toString(16)}`);
        bytes = (yield client.recv(PACKET)).bytes;
    }
}

// Once per TCP connection: CONNECT, then the broker's CONNACK (return code 0: accepted).
function* connect(client, client_id_prefix = 'swarm', keepalive = 60, clean_session = true) {
    if (client.vars.clientId) return;
    const clientId = `${client_id_prefix}-${Math.random().toString(36).slice(2, 10)}`;
    const flags = clean_session ? 0x02 : 0x00;
    const r = yield client.send_for_reply(
        _packet(CONNECT, _str('MQTT'), [4, flags], swarm.u16be(keepalive), _str(clientId)), PACKET);
    if (r.bytes[0] !== CONNACK || r.length !== 4)
        throw new Error(`expected CONNACK, got packet type 0x${r.bytes[0].toString(16)}`);
    if (r.bytes[3] !== 0)
        throw new Error(`the broker refused the connection: CONNACK return code ${r.bytes[3]}`);
    client.vars.clientId = clientId;
    client.vars.subscribed = {};
    client.vars.awaiting = 0;
}

// Once per topic and connection: SUBSCRIBE, then SUBACK (0x80: refused).
function* subscribe(client, topic = 'swarm/{id}', qos = 1) {
    const name = _topic(client, topic);
    if (client.vars.subscribed[name] !== undefined) return;
    const id = _nextId(client);
    const first = yield client.send_for_reply(_packet(SUBSCRIBE, swarm.u16be(id), _str(name), [qos]), PACKET);
    const ack = yield* _until(client, first, SUBACK, id);
    const granted = ack[ack.length - 1];
    if (granted === 0x80) throw new Error(`the broker refused the subscription to ${name}`);
    client.vars.subscribed[name] = granted;
}

// QoS 0: sent, nothing comes back. QoS 1: the broker answers PUBACK with the same packet id.
// A message published to a topic this connection subscribed to will come back to it as a push.
function* publish(client, topic = 'swarm/{id}', qos = 0, payload = 'hello from swarm') {
    const name = _topic(client, topic);
    if (client.vars.subscribed[name] !== undefined) client.vars.awaiting++;
    if (qos === 0) {
        client.send_noreply(_packet(PUBLISH, _str(name), payload));
        return;
    }
    if (qos !== 1) throw new RangeError(`publish: qos must be 0 or 1, got ${qos}`);
    const id = _nextId(client);
    const first = yield client.send_for_reply(_packet(PUBLISH | 0x02, _str(name), swarm.u16be(id), payload), PACKET);
    yield* _until(client, first, PUBACK, id);
}

// Reads the messages the broker pushes until every message this connection published to its own
// subscriptions has come back (at most `max` of them).
function* receive(client, max = 100) {
    for (let i = 0; i < max && client.vars.awaiting > 0; ++i) {
        const r = yield client.recv(PACKET);
        if ((r.bytes[0] & 0xf0) !== PUBLISH)
            throw new Error(`expected a pushed PUBLISH, got packet type 0x${r.bytes[0].toString(16)}`);
        _onPublish(client, r.bytes);
    }
}

function* ping(client) {
    const first = yield client.send_for_reply(_packet(PINGREQ), PACKET);
    yield* _until(client, first, PINGRESP);
}

// The polite end: DISCONNECT, then the client closes (MQTT 3.1.1, 3.14). Use it as the
// scenario's on_close, so decr, stop and --duration say goodbye too.
function disconnect(client) {
    client.send_noreply(_packet(DISCONNECT));
    client.close_connection();
}
