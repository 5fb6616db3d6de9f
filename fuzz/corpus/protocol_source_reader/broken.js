function ok(client, a) {}
function open(client, b) { "unterminated
/* never closed
