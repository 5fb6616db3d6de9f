#pragma once

#include <QHostAddress>
#include <QString>

#include <atomic>
#include <future>
#include <memory>

class QThread;

namespace swarm {

class DemoServerCore;

// The embedded demo server that `swarm` runs against when no --server is given: it speaks the
// bundled `durian` protocol (and silently takes the `simple` protocol's one-way lines), in a
// thread of its own so it never slows the console or the window.
//
// durian: a request is one line `SS|<method>|<length>|<params>\r\n`, the answer one line
// `SR|<method>|<code>|<body>\r\n`. user.login returns a token; the chat.* methods want it.
class DemoServer
{
public:
    DemoServer();
    ~DemoServer();

    // Listens (port 0: any free port) and returns once it does, or false with *error.
    bool start(const QHostAddress& address, quint16 port, QString* error);
    void stop();
    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_address; }

    // Thread-safe counters, for tests and the start-up message.
    int connections() const { return m_connections.load(); }
    quint64 connectionsAccepted() const { return m_accepted.load(); }
    quint64 requests() const { return m_requests.load(); }

private:
    friend class DemoServerCore;
    QThread* m_thread = nullptr;
    std::future<void> m_finished;
    QHostAddress m_address;
    quint16 m_port = 0;
    std::atomic<int> m_connections {0};
    std::atomic<quint64> m_accepted {0};
    std::atomic<quint64> m_requests {0};
};

} // namespace swarm
