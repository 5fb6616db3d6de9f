// simple: one-way heartbeats, from the original swarm's examples. Nothing is answered.

function heartbeat(client, uid) {
    client.send_noreply(`hello ${uid}\r\n`);
}

function close_connection(client) {
    client.close_connection();
}
