#pragma once

#include "net/Transport.h"

#include <QObject>
#include <vector>

class QTcpSocket;

namespace swarm {

// Portable sockets: one QTcpSocket per connection. Used where EpollTransport is not available
// (macOS, Windows) or when asked for with --io qt. Heavier (a QObject, its private data and
// notifiers per connection: about 3.6 KiB) but runs everywhere Qt does.
class QtTransport final : public QObject, public Transport
{
    Q_OBJECT
public:
    QtTransport(TransportHandler* handler, const SocketOptions& options,
                QObject* parent = nullptr);
    ~QtTransport() override;

    bool open(quint32 slot, const Endpoint& server, const QHostAddress& source,
              QString* error) override;
    qint64 read(quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure,
                QString* detail) override;
    qint64 write(quint32 slot, const char* data, qint64 size, SocketFailure* failure,
                 QString* detail) override;
    bool confirmConnected(quint32 slot) override;
    void setWantWrite(quint32 slot, bool want) override;
    void close(quint32 slot) override;
    const char* name() const override { return "qt"; }

private:
    // QTcpSocket buffers whatever it is given; past this many unsent bytes we stop taking more,
    // so a server that never reads cannot make us buffer without limit.
    static constexpr qint64 kMaxUnsent = 64 * 1024;

    QTcpSocket* socket(quint32 slot) const;

    TransportHandler* m_handler;
    SocketOptions m_options;
    std::vector<QTcpSocket*> m_sockets;
    std::vector<bool> m_wantWrite;
};

} // namespace swarm
