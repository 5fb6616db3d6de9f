#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

class QTcpSocket;

namespace swarm::test {

class TestCerts;

// Sanitizer builds (./make.sh asan-test, tsan-test) run the code several times slower and keep
// freed memory in quarantine: CPU and RSS figures are printed there but checked only in the plain
// build; leaks are LeakSanitizer's to find.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// A free TCP port on 127.0.0.1 right now (bound, then released).
quint16 freePort();

// Writes `text` to the file `name` in `dir` and returns its path (empty text if it cannot).
QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text);

// The transports this build has, as --io names them: the rows of tests run on each.
QStringList transports();

// Closes a server-side socket with a reset (RST: SO_LINGER 0) instead of an orderly FIN.
void abortWithReset(QTcpSocket* socket);

// Stops a process this test started: SIGTERM, then SIGKILL if it lingers.
void stopProcess(std::unique_ptr<QProcess>& process);

// Where the built swarm binary, the sources' protocols and scripts are.
QString swarmBinary();
QString sourcePath(const QString& relative);

// A QTcpServer on a free loopback port whose test decides what each connection it accepts gets
// (serveConnection). Each accepted socket is deleted when it disconnects.
class LoopbackServer : public QObject
{
public:
    int accepted = 0; // connections accepted so far

    bool listen(); // false when no port could be had
    quint16 port() const { return m_server.serverPort(); }

protected:
    // A new connection; index counts them from 0.
    virtual void serveConnection(QTcpSocket* socket, int index) = 0;

private:
    QTcpServer m_server;
};

// A real redis-server from Debian, started by the test on a free loopback port, stopped (by its
// PID, which this object started) when destroyed.
class RedisServer
{
public:
    RedisServer();
    ~RedisServer();
    // port 0: a free one; otherwise that port (to restart a stopped server where it was).
    bool start(QString* error, const QStringList& extraArgs = {}, quint16 port = 0);
    void stop();
    quint16 port() const { return m_port; }
    bool isRunning() const;
    // Sends one inline command and returns the raw reply (blocking, short timeouts).
    QByteArray command(const QByteArray& inlineCommand) const;
    // INFO fields, e.g. info("connected_clients").
    QMap<QString, QString> info() const;
    qint64 infoNumber(const QString& field) const;
    qint64 connectedClients() const; // minus the connection used to ask
    qint64 commandsProcessed() const; // total_commands_processed
    QStringList clientAddresses() const; // addr= of CLIENT LIST (without the asking one)
    // calls= of one command in INFO commandstats ("ping", "set"), 0 when it never ran.
    qint64 commandCalls(const QString& command) const;
    // The process this object started (to freeze it with SIGSTOP, say); 0 when not running.
    qint64 pid() const;

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QTemporaryDir m_dir;
};

// A real memcached from Debian, same rules.
class Memcached
{
public:
    ~Memcached();
    bool start(QString* error, int threads = 2);
    void stop();
    quint16 port() const { return m_port; }
    QMap<QString, QString> stats() const;

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};

// A real mosquitto MQTT broker from Debian, on a free loopback port with a config file of its
// own (anonymous clients, $SYS counters every second, connection messages in its log).
class Mosquitto
{
public:
    ~Mosquitto();
    bool start(QString* error);
    // Also listens with TLS (tlsPort()), with the server certificate of `certs`; port() stays
    // plain (for mosquitto_sub).
    bool startWithTls(const TestCerts& certs, QString* error);
    void stop();
    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    QString log(); // the broker's log so far
    // A $SYS figure, e.g. sys("broker/publish/messages/received"); -1 when unreadable.
    // Read with mosquitto_sub (Debian mosquitto-clients).
    qint64 sys(const QString& topic) const;
    // The process this object started (to freeze it with SIGSTOP, say); 0 when not running.
    qint64 pid() const;

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    QString m_tlsListener; // its lines in the configuration
    QTemporaryDir m_dir;
    QString m_log;
};

// The swarm binary run as a user would, with its output captured.
class SwarmProcess
{
public:
    ~SwarmProcess();
    // Starts swarm with args (--headless is added) and, unless `--check` is among them, waits
    // until its console listens; consolePort() then tells where.
    bool start(const QStringList& args, QString* error, int timeoutMs = 15000);
    // Waits for the process to exit; returns its exit code, or -1 on timeout (then kills it).
    int waitForExit(int timeoutMs);
    quint16 consolePort() const { return m_consolePort; }
    qint64 pid() const;
    QString output(); // stdout so far
    QString errors(); // stderr so far
    bool waitForOutput(const QString& text, int timeoutMs);
    void terminate(); // SIGTERM
    QProcess& process() { return *m_process; }

private:
    void drain();
    std::unique_ptr<QProcess> m_process;
    QString m_out;
    QString m_err;
    quint16 m_consolePort = 0;
};

// A console session over TCP, as nc would open it.
class ConsoleClient
{
public:
    ConsoleClient();
    ~ConsoleClient();
    bool connectTo(quint16 port, int timeoutMs = 5000); // on 127.0.0.1
    bool connectTo(const QHostAddress& address, quint16 port, int timeoutMs = 5000);
    // Sends a line (LF added) and returns what came back until `quietMs` of silence.
    QString send(const QByteArray& line, int quietMs = 300, int timeoutMs = 5000);
    // Sends a line and reads until the reply holds `expected` (or `timeoutMs` passed): for
    // answers that come late when the process is slow (sanitizers), where silence proves nothing.
    QString sendUntil(const QByteArray& line, const QString& expected, int timeoutMs = 10000);
    QString readAll(int quietMs = 300, int timeoutMs = 5000);
    void write(const QByteArray& bytes);
    bool isConnected();
    bool waitForDisconnected(int timeoutMs);
    QTcpSocket* socket() { return m_socket.get(); }

private:
    std::unique_ptr<QTcpSocket> m_socket;
};

// Resident memory of a process, in KiB (Linux /proc); -1 when unknown.
qint64 residentKiB(qint64 pid);
// CPU time (user + system) of a process, in milliseconds (Linux /proc); -1 when unknown.
qint64 cpuTimeMs(qint64 pid);

} // namespace swarm::test
