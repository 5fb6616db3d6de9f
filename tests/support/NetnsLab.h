#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <map>
#include <memory>

namespace swarm::test {

// A lab of N hosts for multi-host tests (tests/support/netns-lab.sh): as root, host i is the
// network namespace PREFIX-i with address 198.18.0.i, all joined by a bridge in a namespace of
// their own, so traffic stays between the lab's namespaces and the machine's network is untouched.
// Without root (or without `ip`), every host is this machine and host i's address is 127.0.0.(i+1)
// (127.0.0.2, 127.0.0.3, ...): usesNamespaces() says which, fallbackReason() why.
//
// The destructor ends every process the lab started (by its PID) and removes the namespaces,
// so a test that fails halfway leaves nothing behind. Labs of earlier runs that crashed (their
// process gone) are removed when a new lab is made.
class NetnsLab
{
public:
    explicit NetnsLab(int hosts);
    ~NetnsLab();
    NetnsLab(const NetnsLab&) = delete;
    NetnsLab& operator=(const NetnsLab&) = delete;

    bool isUp() const { return m_error.isEmpty(); }
    QString error() const { return m_error; } // why the lab could not be made
    bool usesNamespaces() const { return m_namespaces; }
    QString fallbackReason() const { return m_fallbackReason; }
    QString prefix() const { return m_prefix; }
    QString namespaceOf(int host) const; // "PREFIX-i"; empty without namespaces
    QString address(int host) const; // host is 1..N

    // Starts program on host (inside its namespace); returns its PID, or 0 (then *error says why).
    // Its stdout and stderr go to a log file: output(pid) reads it.
    qint64 start(int host, const QString& program, const QStringList& args, QString* error);
    QString output(qint64 pid) const;
    // Waits until the process' output holds text; false on timeout or when it exited.
    bool waitForOutput(qint64 pid, const QString& text, int timeoutMs) const;
    bool isRunning(qint64 pid) const;
    void kill(qint64 pid); // SIGKILL one process the lab started, and reap it
    // Runs program on host to its end; returns its exit code (-1: timeout or failure to start).
    int run(int host, const QString& program, const QStringList& args, QByteArray* output,
        int timeoutMs = 10000) const;
    // Sets host's own /etc/hosts, as the programs started on host afterwards see it. With
    // namespaces: /etc/netns/NS/hosts, which `ip netns exec` (how start() runs a program)
    // bind-mounts over /etc/hosts for that program. Without: a file of the lab's, which start()
    // bind-mounts over /etc/hosts in a user and mount namespace of the program's own (unshare;
    // no root needed). A later call rewrites the same file in place (same inode: the bind mount
    // shows the new text, where a new file put in its place would not), and glibc's `files`
    // backend reads /etc/hosts at every lookup, so the programs running on host see the change
    // at their next lookup.
    bool setHostsFile(int host, const QByteArray& text, QString* error);
    // Calls fn with this thread inside host's namespace: the sockets fn creates live there (a
    // QTcpSocket connecting to an IP address creates its socket in connectToHost). False when
    // the namespace could not be entered (fn was not called).
    bool inHost(int host, const std::function<void()>& fn) const;

    // Every namespace whose name starts with prefix (a test checks the lab left none).
    static QStringList namespacesWithPrefix(const QString& prefix);

private:
    bool script(const QStringList& args, QString* error) const;
    void removeStaleLabs() const;
    QStringList command(int host, const QString& program, const QStringList& args) const;

    int m_hosts = 0;
    bool m_namespaces = false;
    QString m_prefix;
    QString m_error;
    QString m_fallbackReason;
    QTemporaryDir m_logs;
    std::map<qint64, std::unique_ptr<QProcess>> m_processes;
    std::map<qint64, QString> m_logFiles;
    std::map<int, QString> m_hostsFiles; // setHostsFile's, by host
};

} // namespace swarm::test
