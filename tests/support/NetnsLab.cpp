#include "NetnsLab.h"

#include "TestServers.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

namespace swarm::test {

namespace {

QString labScript()
{
    return sourcePath(QStringLiteral("tests/support/netns-lab.sh"));
}

// "nl" + this process' PID + a letter per lab of the process: unique on the machine, short enough
// for interface names (netns-lab.sh), and it names the process that owns the lab.
QString uniquePrefix()
{
    static std::atomic<int> labs {0};
    const int n = labs++;
    return QStringLiteral("nl%1%2")
        .arg(QCoreApplication::applicationPid())
        .arg(QChar('a' + n % 26));
}

// An open descriptor of a network namespace (a file under /run/netns or /proc), closed on scope
// exit.
class NamespaceFile
{
public:
    explicit NamespaceFile(const QByteArray& path)
        : m_fd(::open(path.constData(), O_RDONLY | O_CLOEXEC))
    { }
    ~NamespaceFile()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    int fd() const { return m_fd; }

private:
    int m_fd;
};

} // namespace

NetnsLab::NetnsLab(int hosts)
    : m_hosts(hosts)
    , m_prefix(uniquePrefix())
{
    if (::geteuid() != 0)
        m_fallbackReason = QStringLiteral("not root: network namespaces cannot be made");
    else if (QStandardPaths::findExecutable(QStringLiteral("ip")).isEmpty())
        m_fallbackReason = QStringLiteral("no ip command (Debian iproute2)");
    if (!m_logs.isValid()) {
        m_error = QStringLiteral("no temporary directory for the lab's logs");
        return;
    }
    if (!m_fallbackReason.isEmpty()) return;
    removeStaleLabs();
    QString error;
    if (!script({QStringLiteral("up"), m_prefix, QString::number(hosts)}, &error)) {
        m_error = QStringLiteral("netns-lab.sh up %1 %2: %3").arg(m_prefix).arg(hosts).arg(error);
        script({QStringLiteral("down"), m_prefix}, &error);
        return;
    }
    m_namespaces = true;
}

NetnsLab::~NetnsLab()
{
    for (auto& [pid, process] : m_processes) {
        if (process->state() == QProcess::NotRunning) continue;
        process->kill(); // SIGKILL to this PID, which the lab started
        process->waitForFinished(5000);
    }
    m_processes.clear();
    QString error;
    if (m_namespaces && !script({QStringLiteral("down"), m_prefix}, &error))
        qWarning("NetnsLab: netns-lab.sh down %s: %s", qPrintable(m_prefix), qPrintable(error));
}

QString NetnsLab::namespaceOf(int host) const
{
    return m_namespaces ? QStringLiteral("%1-%2").arg(m_prefix).arg(host) : QString();
}

QString NetnsLab::address(int host) const
{
    return m_namespaces ? QStringLiteral("198.18.0.%1").arg(host)
                        : QStringLiteral("127.0.0.%1").arg(host + 1);
}

QStringList NetnsLab::command(int host, const QString& program, const QStringList& args) const
{
    if (!m_namespaces) {
        const auto hosts = m_hostsFiles.find(host);
        if (hosts == m_hostsFiles.end()) return QStringList {program} + args;
        // The host's own /etc/hosts without root: a user namespace (as its root) with a mount
        // namespace of its own, where the file is bind-mounted over /etc/hosts; then the program
        // (unshare and sh exec in turn: the PID is the program's).
        return QStringList {QStringLiteral("unshare"), QStringLiteral("--user"),
                   QStringLiteral("--map-root-user"), QStringLiteral("--mount"),
                   QStringLiteral("sh"), QStringLiteral("-c"),
                   QStringLiteral("mount --bind \"$0\" /etc/hosts && exec \"$@\""), hosts->second,
                   program}
        + args;
    }
    return QStringList {QStringLiteral("ip"), QStringLiteral("netns"), QStringLiteral("exec"),
               namespaceOf(host), program}
    + args;
}

qint64 NetnsLab::start(int host, const QString& program, const QStringList& args, QString* error)
{
    if (!isUp() || host < 1 || host > m_hosts) {
        *error = QStringLiteral("no host %1 in this lab (%2)").arg(host).arg(m_error);
        return 0;
    }
    static int started = 0;
    const QString log = m_logs.filePath(QStringLiteral("host%1-%2.log").arg(host).arg(++started));
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setStandardOutputFile(log);
    const QStringList line = command(host, program, args);
    // `ip netns exec` enters the namespace and then execs the program: the PID is the program's.
    process->start(line.first(), line.mid(1));
    if (!process->waitForStarted(5000)) {
        *error = QStringLiteral("%1: %2").arg(line.join(QLatin1Char(' ')), process->errorString());
        return 0;
    }
    const qint64 pid = process->processId();
    m_logFiles[pid] = log;
    m_processes[pid] = std::move(process);
    return pid;
}

QString NetnsLab::output(qint64 pid) const
{
    const auto it = m_logFiles.find(pid);
    if (it == m_logFiles.end()) return QString();
    QFile file(it->second);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool NetnsLab::waitForOutput(qint64 pid, const QString& text, int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!output(pid).contains(text)) {
        if (deadline.hasExpired() || !isRunning(pid)) return output(pid).contains(text);
        QThread::msleep(50);
    }
    return true;
}

bool NetnsLab::isRunning(qint64 pid) const
{
    const auto it = m_processes.find(pid);
    if (it == m_processes.end()) return false;
    it->second->waitForFinished(0); // notices an exit without an event loop
    return it->second->state() != QProcess::NotRunning;
}

void NetnsLab::kill(qint64 pid)
{
    const auto it = m_processes.find(pid);
    if (it == m_processes.end() || it->second->state() == QProcess::NotRunning) return;
    it->second->kill();
    it->second->waitForFinished(5000);
}

int NetnsLab::run(int host, const QString& program, const QStringList& args, QByteArray* output,
    int timeoutMs) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QStringList line = command(host, program, args);
    process.start(line.first(), line.mid(1));
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        if (output) *output = process.readAll();
        return -1;
    }
    if (output) *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

bool NetnsLab::inHost(int host, const std::function<void()>& fn) const
{
    if (!m_namespaces) {
        fn();
        return true;
    }
    const NamespaceFile own("/proc/thread-self/ns/net");
    const NamespaceFile lab(QByteArray("/run/netns/") + namespaceOf(host).toUtf8());
    if (own.fd() < 0 || lab.fd() < 0 || ::setns(lab.fd(), CLONE_NEWNET) != 0) return false;
    fn();
    if (::setns(own.fd(), CLONE_NEWNET) != 0)
        qFatal("NetnsLab: could not return to this thread's own network namespace");
    return true;
}

bool NetnsLab::setHostsFile(int host, const QByteArray& text, QString* error)
{
    if (!isUp() || host < 1 || host > m_hosts) {
        *error = QStringLiteral("no host %1 in this lab (%2)").arg(host).arg(m_error);
        return false;
    }
    const QString dir = m_namespaces ? QStringLiteral("/etc/netns/") + namespaceOf(host)
                                     : m_logs.filePath(QStringLiteral("etc-host%1").arg(host));
    QFile file(dir + QStringLiteral("/hosts"));
    // O_TRUNC and one write(2) (unbuffered): a lookup that reads the file meanwhile sees it empty
    // (the name unknown for a moment: a failed lookup, which changes nothing) or whole, never a
    // line cut short, since the file's size grows only once the written bytes are in it.
    if (!QDir().mkpath(dir)
        || !file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)
        || file.write(text) != text.size()) {
        *error = QStringLiteral("%1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    m_hostsFiles[host] = file.fileName();
    return true;
}

QStringList NetnsLab::namespacesWithPrefix(const QString& prefix)
{
    QProcess ip;
    ip.start(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("list")});
    ip.waitForFinished(5000);
    QStringList found;
    for (const QString& line :
        QString::fromUtf8(ip.readAllStandardOutput()).split(QLatin1Char('\n'))) {
        const QString name = line.section(QLatin1Char(' '), 0, 0);
        if (!name.isEmpty() && name.startsWith(prefix)) found << name;
    }
    return found;
}

bool NetnsLab::script(const QStringList& args, QString* error) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(labScript(), args);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        *error = QString::fromUtf8(process.readAll()).trimmed() + process.errorString();
        return false;
    }
    return true;
}

// Labs of test processes that are gone (a crash, a kill): their namespaces, and what still runs
// in them, were that process' and are no one's now.
void NetnsLab::removeStaleLabs() const
{
    static const QRegularExpression labName(QStringLiteral("^(nl(\\d+)[a-z])-"));
    QStringList done;
    for (const QString& name : namespacesWithPrefix(QStringLiteral("nl"))) {
        const QRegularExpressionMatch m = labName.match(name);
        if (!m.hasMatch() || done.contains(m.captured(1))) continue;
        const pid_t owner = pid_t(m.captured(2).toLongLong());
        if (::kill(owner, 0) == 0 || errno != ESRCH) continue; // its process still lives
        QString error;
        script({QStringLiteral("down"), m.captured(1)}, &error);
        done << m.captured(1);
    }
}

} // namespace swarm::test
