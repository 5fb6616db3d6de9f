#!/usr/bin/env swarm
/* A block comment with function fake(a) { } inside. */
const A = 1, B = `template ${`nested ${A}`} } ) ]`, C = /[/]function re(x)/g;
let ratio = A / 2 / 3; // a division, not a regex
var f = function* (client, x = [1, 2], { y }, ...rest) { yield client.recv(swarm.crlf()); };
const arrow = async (client, a, b = (1, 2)) => client.send('x');
const single = client => client.send("\"function\"");
async function login(client, uid = 123, password = 'pw') { }
function* chat(client, roomid, text = 'hi\
continued') { const s = 'string with ) and }'; }
function _helper(x) { return x ? /a/.test(x) : x?.5:1; }
function \u0061bc(client, ünïcode, $dollar, _under) { }
function unterminated(client, a { [ ( }
label: for (;;) { break label; }
if (x) function notTopLevel() {}
