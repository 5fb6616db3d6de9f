#pragma once

#include <QByteArray>
#include <QJSValue>

namespace swarm {

// One client call a script made: performed by the connection in the order made.
struct ScriptOp
{
    enum class Kind : quint8 { Send, Sleep, Close };
    Kind kind = Kind::Send;
    quint16 parserId = 0; // ParserTable id; 0 = no reply expected (send_noreply)
    QByteArray request; // empty for client.recv(parser)
    QJSValue customParser; // set when parserId == ScriptRuntime::kCustom
    qint64 sleepMs = 0; // Sleep
};

} // namespace swarm
