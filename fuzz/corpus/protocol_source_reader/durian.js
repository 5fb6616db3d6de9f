// durian: the line protocol of a chat server, from the original swarm's examples.
//
// A request is one line   SS|<method>|<length of params>|<params>\r\n
// and the answer one line SR|<method>|<code>|<body>\r\n   (code 0: ok).
// `swarm --headless` with no --server runs an embedded server that speaks it.

const LINE = swarm.crlf();

function _request(method, params) {
    return `SS|${method}|${params.length}|${params}\r\n`;
}

// Throws (a script error of this connection, shown in the status) unless the answer is ok.
function _expectOk(method, reply) {
    const fields = reply.text.trim().split('|');
    if (fields[0] !== 'SR' || fields[2] !== '0')
        throw new Error(`${method} refused: ${reply.text.trim()}`);
    return fields.slice(3).join('|');
}

// A plain function: its client calls run after it returns. Nothing here reads the reply.
function heartbeat(client, uid = 123) {
    client.send_for_reply(_request('tcp.heartbeat', `uid=${uid}`), LINE);
}

// A generator reads its replies with `yield`. Logs in once per connection and keeps the token in
// client.vars for the commands that follow, in this iteration and the next ones.
function* login(client, uid = 123, password = 'secret') {
    if (client.vars.token)
        return;
    const reply = yield client.send_for_reply(
        _request('user.login', `uid=${uid}&password=${password}`), LINE);
    const body = _expectOk('user.login', reply);
    client.vars.token = body.replace(/^token=/, '');
    client.vars.uid = uid;
}

function* _chat(client, method, params) {
    const token = client.vars.token || '';
    const reply = yield client.send_for_reply(
        _request(method, `uid=${client.vars.uid}&${params}&token=${token}`), LINE);
    _expectOk(method, reply);
}

function* create_chatroom(client, roomid = 7) {
    yield* _chat(client, 'chat.createroom', `roomid=${roomid}`);
}

function* enter_chatroom(client, roomid = 7) {
    yield* _chat(client, 'chat.enterroom', `roomid=${roomid}`);
}

function* say(client, roomid = 7, text = 'hello') {
    yield* _chat(client, 'chat.say', `roomid=${roomid}&text=${encodeURIComponent(text)}`);
}

function* leave_chatroom(client, roomid = 7) {
    yield* _chat(client, 'chat.outroom', `roomid=${roomid}`);
}

function* close_chatroom(client, roomid = 7) {
    yield* _chat(client, 'chat.closeroom', `roomid=${roomid}`);
}

function close_connection(client) {
    client.close_connection();
}
