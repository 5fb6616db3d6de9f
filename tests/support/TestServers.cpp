#include "TestServers.h"

#include "TestCerts.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QNetworkProxy>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <functional>

#ifdef Q_OS_UNIX
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#endif
#ifdef Q_OS_WIN
#include <winsock2.h>
#endif

namespace swarm::test {

namespace {

// The lowest ephemeral port (Linux: /proc/sys/net/ipv4/ip_local_port_range), 0 when unknown.
quint16 lowestEphemeralPort()
{
    QFile f(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> range = f.readAll().simplified().split(' ');
    bool ok = false;
    const int low = range.isEmpty() ? 0 : range.first().toInt(&ok);
    return ok && low > 10000 && low <= 65535 ? quint16(low) : 0;
}

} // namespace

// A port that was free a moment ago, for a process the test starts (it must listen there). Taken
// below the ephemeral range where one is known: a port the kernel hands out for listen(0) is
// also one it hands out as the source port of a new connection, and a test with thousands of
// them (or a TSan-slowed agent starting late) found "its" port taken by one (tst_fleet under
// ThreadSanitizer: "cannot listen on 127.0.0.1:43737: already in use"). Random, checked by
// binding, so parallel tests rarely draw the same one.
quint16 freePort()
{
    const quint16 low = lowestEphemeralPort();
    for (int attempt = 0; low > 0 && attempt < 200; ++attempt) {
        const quint16 port = quint16(10000 + QRandomGenerator::global()->bounded(low - 10000));
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, port)) return port;
    }
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0)) return 0;
    return s.serverPort();
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(text);
    return path;
}

bool LoopbackServer::listen()
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            const int index = accepted++;
            serveConnection(s, index);
        }
    });
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QStringList transports()
{
#ifdef SWARM_HAVE_EPOLL
    return {QStringLiteral("epoll"), QStringLiteral("qt")};
#else
    return {QStringLiteral("qt")};
#endif
}

void abortWithReset(QTcpSocket* socket)
{
    linger off {};
    off.l_onoff = 1;
    off.l_linger = 0;
    setsockopt(socket->socketDescriptor(), SOL_SOCKET, SO_LINGER,
        reinterpret_cast<const char*>(&off), sizeof off);
    socket->abort();
}

QString swarmBinary()
{
    return QStringLiteral(SWARM_BINARY_DIR "/app/swarm");
}

QString sourcePath(const QString& relative)
{
    return QDir(QStringLiteral(SWARM_SOURCE_DIR)).filePath(relative);
}

namespace {

// Starts a server on `fixedPort`, or on a free port (trying a few, in case another process takes
// the one found first), until `ready` says it answers.
bool startOnPort(std::unique_ptr<QProcess>& process, quint16* port, quint16 fixedPort,
    const QString& exe, const std::function<QStringList(quint16)>& args,
    const std::function<bool()>& ready)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        *port = fixedPort ? fixedPort : freePort();
        process = std::make_unique<QProcess>();
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->start(exe, args(*port));
        if (!process->waitForStarted(5000)) continue;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 5000 && process->state() == QProcess::Running) {
            if (ready()) return true;
            QThread::msleep(20);
        }
        stopProcess(process);
    }
    return false;
}

} // namespace

void stopProcess(std::unique_ptr<QProcess>& process)
{
    if (!process) return;
    if (process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(5000)) {
            process->kill();
            process->waitForFinished(2000);
        }
    }
    process.reset();
}

// ---- redis ---------------------------------------------------------------------------------

RedisServer::RedisServer() = default;

RedisServer::~RedisServer()
{
    stop();
}

bool RedisServer::start(QString* error, const QStringList& extraArgs, quint16 port)
{
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (exe.isEmpty()) {
        *error = QStringLiteral("redis-server is not installed (./make.sh deps installs it)");
        return false;
    }
    const auto args = [&](quint16 p) {
        QStringList a {QStringLiteral("--port"), QString::number(p), QStringLiteral("--bind"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
            QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
            m_dir.path(), QStringLiteral("--maxclients"), QStringLiteral("50000"),
            QStringLiteral("--tcp-backlog"), QStringLiteral("4096"),
            // Bound to 127.0.0.1 only; protected mode would refuse 127.0.0.2+
            // (the --source-ip tests), as it trusts exactly 127.0.0.1.
            QStringLiteral("--protected-mode"), QStringLiteral("no")};
        return a + extraArgs;
    };
    if (startOnPort(m_process, &m_port, port, exe, args,
            [this] { return command("PING").startsWith("+PONG"); }))
        return true;
    *error = QStringLiteral("redis-server did not start");
    return false;
}

void RedisServer::stop()
{
    stopProcess(m_process);
}

qint64 RedisServer::commandCalls(const QString& command) const
{
    const QString text = QString::fromUtf8(this->command("INFO commandstats"));
    const QRegularExpression re(QStringLiteral("cmdstat_%1:calls=(\\d+)").arg(command));
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? m.captured(1).toLongLong() : 0;
}

qint64 RedisServer::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QByteArray RedisServer::command(const QByteArray& inlineCommand) const
{
    QTcpSocket s;
    s.setProxy(QNetworkProxy::NoProxy); // see ConsoleClient::connectTo
    s.connectToHost(QHostAddress::LocalHost, m_port);
    if (!s.waitForConnected(2000)) return QByteArray();
    s.write(inlineCommand + "\r\n");
    QByteArray reply;
    QElapsedTimer t;
    t.start();
    // Enough for the small replies tests need: a line, or a bulk string read to its end.
    while (t.elapsed() < 3000) {
        if (!s.waitForReadyRead(200) && !reply.isEmpty()) break;
        reply += s.readAll();
        if (reply.startsWith('$')) {
            const qsizetype eol = reply.indexOf("\r\n");
            if (eol > 0) {
                const qint64 len = reply.mid(1, eol - 1).toLongLong();
                if (len < 0 || reply.size() >= eol + 2 + len + 2) break;
            }
        } else if (reply.endsWith("\r\n")) {
            break;
        }
    }
    return reply;
}

QMap<QString, QString> RedisServer::info() const
{
    QMap<QString, QString> fields;
    const QByteArray reply = command("INFO");
    for (const QByteArray& line : reply.split('\n')) {
        const QByteArray l = line.trimmed();
        const qsizetype colon = l.indexOf(':');
        if (colon > 0 && !l.startsWith('#'))
            fields.insert(QString::fromUtf8(l.left(colon)), QString::fromUtf8(l.mid(colon + 1)));
    }
    return fields;
}

qint64 RedisServer::infoNumber(const QString& field) const
{
    return info().value(field, QStringLiteral("-1")).toLongLong();
}

qint64 RedisServer::connectedClients() const
{
    const qint64 n = infoNumber(QStringLiteral("connected_clients"));
    return n < 0 ? n : n - 1;
}

qint64 RedisServer::commandsProcessed() const
{
    // The INFO that asks is counted too, after the figure is taken.
    return infoNumber(QStringLiteral("total_commands_processed"));
}

QStringList RedisServer::clientAddresses() const
{
    QStringList out;
    const QByteArray reply = command("CLIENT LIST");
    static const QRegularExpression addr(QStringLiteral(R"(addr=(\S+):\d+ .* cmd=(\S+))"));
    for (const QByteArray& line : reply.split('\n')) {
        const QRegularExpressionMatch m = addr.match(QString::fromUtf8(line));
        if (m.hasMatch() && m.captured(2) != QLatin1String("client|list")) out << m.captured(1);
    }
    return out;
}

// ---- memcached -----------------------------------------------------------------------------

Memcached::~Memcached()
{
    stop();
}

bool Memcached::start(QString* error, int threads)
{
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("memcached"),
        {QStringLiteral("/usr/bin"), QStringLiteral("/usr/local/bin")});
    if (exe.isEmpty()) {
        *error = QStringLiteral("memcached is not installed (./make.sh deps installs it)");
        return false;
    }
    const auto args = [threads](quint16 p) {
        QStringList a {QStringLiteral("-p"), QString::number(p), QStringLiteral("-U"),
            QStringLiteral("0"), QStringLiteral("-l"), QStringLiteral("127.0.0.1"),
            QStringLiteral("-t"), QString::number(threads), QStringLiteral("-c"),
            // memcached exits when it cannot raise the open-files limit to -c: stay
            // well below the usual hard limit (20,000 on the CI machine).
            QStringLiteral("4096")};
        if (::getuid() == 0) a << QStringLiteral("-u") << QStringLiteral("root");
        return a;
    };
    if (startOnPort(m_process, &m_port, 0, exe, args, [this] { return !stats().isEmpty(); }))
        return true;
    *error = QStringLiteral("memcached did not start");
    return false;
}

void Memcached::stop()
{
    stopProcess(m_process);
}

QMap<QString, QString> Memcached::stats() const
{
    QMap<QString, QString> out;
    QTcpSocket s;
    s.setProxy(QNetworkProxy::NoProxy); // see ConsoleClient::connectTo
    s.connectToHost(QHostAddress::LocalHost, m_port);
    if (!s.waitForConnected(5000)) return out;
    s.write("stats\r\n");
    QByteArray reply;
    QElapsedTimer t;
    t.start();
    while (!reply.contains("END\r\n") && t.elapsed() < 10000 && s.waitForReadyRead(2000))
        reply += s.readAll();
    for (const QByteArray& line : reply.split('\n')) {
        const QList<QByteArray> w = line.trimmed().split(' ');
        if (w.size() == 3 && w[0] == "STAT")
            out.insert(QString::fromUtf8(w[1]), QString::fromUtf8(w[2]));
    }
    return out;
}

// ---- mosquitto ---------------------------------------------------------------------------

Mosquitto::~Mosquitto()
{
    stop();
}

bool Mosquitto::start(QString* error)
{
    const QString exe = QStandardPaths::findExecutable(
        QStringLiteral("mosquitto"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    if (exe.isEmpty()) {
        *error = QStringLiteral("mosquitto is not installed (./make.sh deps installs it)");
        return false;
    }
    if (QStandardPaths::findExecutable(QStringLiteral("mosquitto_sub")).isEmpty()) {
        *error = QStringLiteral("mosquitto_sub is not installed (mosquitto-clients; ./make.sh "
                                "deps installs it)");
        return false;
    }
    const auto args = [this](quint16 p) {
        const QString conf = m_dir.filePath(QStringLiteral("mosquitto-%1.conf").arg(p));
        QFile f(conf);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(QStringLiteral("listener %1 127.0.0.1\n"
                                   "allow_anonymous true\n"
                                   "persistence false\n"
                                   "sys_interval 1\n"
                                   "connection_messages true\n"
                                   "log_dest stdout\n"
                                   "log_type error\nlog_type warning\nlog_type notice\n"
                                   "log_type information\n"
                                   "max_queued_messages 100000\n")
                        .arg(p)
                        .toUtf8());
            f.write(m_tlsListener.toUtf8());
        }
        return QStringList {QStringLiteral("-c"), conf};
    };
    const auto ready = [this] {
        QTcpSocket s;
        s.setProxy(QNetworkProxy::NoProxy); // see ConsoleClient::connectTo
        s.connectToHost(QHostAddress::LocalHost, m_port);
        return s.waitForConnected(200);
    };
    if (startOnPort(m_process, &m_port, 0, exe, args, ready)) return true;
    *error = QStringLiteral("mosquitto did not start");
    return false;
}

void Mosquitto::stop()
{
    // Its log to stdout is block-buffered in a pipe: complete only once it has exited.
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        m_process->waitForFinished(5000);
    }
    log();
    stopProcess(m_process);
}

QString Mosquitto::log()
{
    if (m_process) m_log += QString::fromUtf8(m_process->readAll());
    return m_log;
}

bool Mosquitto::startWithTls(const TestCerts& certs, QString* error)
{
    m_tlsPort = freePort();
    // Started as root (CI), mosquitto drops to the user `mosquitto`, who cannot read the test's
    // certificates (a private temporary directory): `user root` keeps it as it was started (no
    // effect for any other user).
    m_tlsListener = QStringLiteral("user root\n"
                                   "listener %1 127.0.0.1\ncafile %2\ncertfile %3\nkeyfile %4\n")
                        .arg(QString::number(m_tlsPort), certs.path(QStringLiteral("ca.pem")),
                            certs.path(QStringLiteral("server.pem")),
                            certs.path(QStringLiteral("server.key")));
    return start(error);
}

qint64 Mosquitto::pid() const
{
    return m_process && m_process->state() != QProcess::NotRunning ? m_process->processId() : 0;
}

qint64 Mosquitto::sys(const QString& topic) const
{
    QProcess sub;
    sub.start(QStringLiteral("mosquitto_sub"),
        {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
            QString::number(m_port), QStringLiteral("-t"), QStringLiteral("$SYS/") + topic,
            QStringLiteral("-C"), QStringLiteral("1"), QStringLiteral("-W"), QStringLiteral("5")});
    if (!sub.waitForFinished(10000)) {
        sub.kill();
        sub.waitForFinished(1000);
        return -1;
    }
    bool ok = false;
    const qint64 v = sub.readAllStandardOutput().trimmed().toLongLong(&ok);
    return ok ? v : -1;
}

// ---- the swarm binary ----------------------------------------------------------------------

SwarmProcess::~SwarmProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

void SwarmProcess::drain()
{
    if (!m_process) return;
    m_out += QString::fromUtf8(m_process->readAllStandardOutput());
    m_err += QString::fromUtf8(m_process->readAllStandardError());
}

bool SwarmProcess::start(const QStringList& args, QString* error, int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    QStringList all {QStringLiteral("--headless")};
    all << args;
    if (!args.contains(QStringLiteral("--listen")) && !args.contains(QStringLiteral("-l")))
        all << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
    m_process->start(swarmBinary(), all);
    if (!m_process->waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(swarmBinary(), m_process->errorString());
        return false;
    }
    if (args.contains(QStringLiteral("--check"))) return true;
    static const QRegularExpression listening(QStringLiteral(R"(Console: listening on \S+:(\d+))"));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        m_process->waitForReadyRead(100);
        drain();
        const QRegularExpressionMatch m = listening.match(m_out);
        if (m.hasMatch()) {
            m_consolePort = quint16(m.captured(1).toUInt());
            return true;
        }
        if (m_process->state() == QProcess::NotRunning) {
            drain();
            *error = QStringLiteral("swarm exited with %1: %2%3")
                         .arg(m_process->exitCode())
                         .arg(m_out, m_err);
            return false;
        }
    }
    *error = QStringLiteral("swarm did not open its console: %1%2").arg(m_out, m_err);
    return false;
}

int SwarmProcess::waitForExit(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (m_process->state() != QProcess::NotRunning && t.elapsed() < timeoutMs) {
        m_process->waitForFinished(100);
        drain();
    }
    drain();
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -2;
}

qint64 SwarmProcess::pid() const
{
    return m_process ? m_process->processId() : -1;
}

QString SwarmProcess::output()
{
    drain();
    return m_out;
}

QString SwarmProcess::errors()
{
    drain();
    return m_err;
}

bool SwarmProcess::waitForOutput(const QString& text, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        drain();
        if (m_out.contains(text) || m_err.contains(text)) return true;
        if (m_process->state() == QProcess::NotRunning) break;
        m_process->waitForReadyRead(100);
    }
    drain();
    return m_out.contains(text) || m_err.contains(text);
}

void SwarmProcess::terminate()
{
    m_process->terminate();
}

// ---- console client ------------------------------------------------------------------------

ConsoleClient::ConsoleClient()
    : m_socket(std::make_unique<QTcpSocket>())
{ }

ConsoleClient::~ConsoleClient() = default;

// The waits below turn the event loop instead of blocking in waitFor*(): the console may be a
// server in this very thread.
bool ConsoleClient::connectTo(quint16 port, int timeoutMs)
{
    return connectTo(QHostAddress(QHostAddress::LocalHost), port, timeoutMs);
}

bool ConsoleClient::connectTo(const QHostAddress& address, quint16 port, int timeoutMs)
{
    // The kernel completes the handshake from the listen queue: blocking here needs no turn of
    // the server's event loop.
    // No proxy: by default Qt asks the system's proxy configuration (libproxy, on a thread) for
    // every socket, which on a loaded machine took longer than these tests wait.
    m_socket->setProxy(QNetworkProxy::NoProxy);
    m_socket->connectToHost(address, port);
    return m_socket->waitForConnected(timeoutMs);
}

void ConsoleClient::write(const QByteArray& bytes)
{
    m_socket->write(bytes);
    m_socket->flush();
}

QString ConsoleClient::readAll(int quietMs, int timeoutMs)
{
    QByteArray got;
    QElapsedTimer total;
    total.start();
    QElapsedTimer quiet;
    quiet.start();
    while (total.elapsed() < timeoutMs) {
        QTest::qWait(5);
        if (m_socket->bytesAvailable() > 0) {
            got += m_socket->readAll();
            quiet.restart();
            continue;
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState) break;
        if (quiet.elapsed() >= quietMs && !got.isEmpty()) break;
    }
    got += m_socket->readAll();
    return QString::fromUtf8(got);
}

QString ConsoleClient::send(const QByteArray& line, int quietMs, int timeoutMs)
{
    write(line + "\n");
    return readAll(quietMs, timeoutMs);
}

QString ConsoleClient::sendUntil(const QByteArray& line, const QString& expected, int timeoutMs)
{
    write(line + "\n");
    QByteArray got;
    QElapsedTimer total;
    total.start();
    while (total.elapsed() < timeoutMs && m_socket->state() == QAbstractSocket::ConnectedState) {
        QTest::qWait(5);
        got += m_socket->readAll();
        if (QString::fromUtf8(got).contains(expected)) break;
    }
    return QString::fromUtf8(got);
}

bool ConsoleClient::isConnected()
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

bool ConsoleClient::waitForDisconnected(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (m_socket->state() != QAbstractSocket::UnconnectedState && t.elapsed() < timeoutMs) {
        QTest::qWait(5);
        m_socket->readAll();
    }
    return m_socket->state() == QAbstractSocket::UnconnectedState;
}

// ---- /proc ---------------------------------------------------------------------------------

qint64 residentKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

qint64 cpuTimeMs(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    const QByteArray stat = f.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13) return -1;
    const qint64 ticks = fields[11].toLongLong() + fields[12].toLongLong(); // utime, stime
    const long hz = sysconf(_SC_CLK_TCK);
    return hz > 0 ? ticks * 1000 / hz : -1;
}

} // namespace swarm::test
