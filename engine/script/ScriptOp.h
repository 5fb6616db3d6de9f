#pragma once

#include <QByteArray>
#include <QJSValue>

namespace swarm {

// One client call a script made: performed by the connection in the order made.
struct ScriptOp
{
    enum class Kind : quint8 { Send, Sleep, Close };
    // How a Send is counted: a request (timed, in the latency figures), a message the server
    // pushed (client.recv: received, not timed), or a message sent that is not a request
    // (send_noreply with {request: false}, e.g. an acknowledgement).
    enum class Count : quint8 { Request = 0, Pushed = 1, MessageSent = 2 };
    Kind kind = Kind::Send;
    Count count = Count::Request;
    quint16 parserId = 0; // ParserTable id; 0 = no reply expected (send_noreply)
    QByteArray request; // empty for client.recv(parser)
    QJSValue customParser; // set when parserId == ScriptRuntime::kCustom
    qint64 sleepMs = 0; // Sleep
};

} // namespace swarm
