#include "net/Platform.h"

#include <QSocketNotifier>

#if defined(__GLIBC__) && !defined(SWARM_PORTABLE)
#include <malloc.h>
#endif
#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#endif
#if defined(SWARM_HAVE_EPOLL) && !defined(SWARM_PORTABLE)
#include "net/SockAddr.h"
#include <netinet/in.h>
#endif
#ifdef Q_OS_WIN
#include <QCoreApplication>
#include <windows.h>
#include <winsock2.h>
#endif

namespace swarm::platform {

void releaseFreeMemory()
{
#if defined(__GLIBC__) && !defined(SWARM_PORTABLE)
    malloc_trim(0);
#endif
}

qintptr openPortDeferredSocket(const QHostAddress& local, QString* error)
{
    error->clear();
#if defined(SWARM_HAVE_EPOLL) && !defined(SWARM_PORTABLE) && defined(IP_BIND_ADDRESS_NO_PORT)
    sockaddr_storage from;
    const socklen_t fromLen = net::toSockaddr(local, 0, &from);
    if (!fromLen) return -1; // not IPv4/IPv6: Qt's bind says why
    const int fd = ::socket(from.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        const int err = errno;
        *error = err == EMFILE || err == ENFILE
            ? QStringLiteral("out of file descriptors (%1)").arg(net::errnoText(err))
            : QStringLiteral("socket(): %1").arg(net::errnoText(err));
        return -1;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), fromLen) != 0) {
        *error = QStringLiteral("cannot bind source address %1: %2")
                     .arg(local.toString(), net::errnoText(errno));
        ::close(fd);
        return -1;
    }
    return fd;
#else
    Q_UNUSED(local);
    return -1;
#endif
}

void closeDescriptor(qintptr descriptor)
{
#ifdef Q_OS_WIN
    ::closesocket(SOCKET(descriptor));
#else
    ::close(int(descriptor));
#endif
}

bool shutdownWrite(qintptr descriptor)
{
#ifdef Q_OS_WIN
    return descriptor >= 0 && ::shutdown(SOCKET(descriptor), SD_SEND) == 0;
#elif defined(Q_OS_UNIX)
    return descriptor >= 0 && ::shutdown(int(descriptor), SHUT_WR) == 0;
#else
    Q_UNUSED(descriptor);
    return false;
#endif
}

#ifdef Q_OS_UNIX

bool takeSocketError(qintptr descriptor, SocketFailure* failure, QString* detail)
{
    int error = 0;
    socklen_t length = sizeof error;
    if (descriptor < 0 || getsockopt(int(descriptor), SOL_SOCKET, SO_ERROR, &error, &length) != 0
        || error == 0)
        return false;
    *failure = failureFromErrno(error);
    *detail = QString::fromLocal8Bit(strerror(error));
    return true;
}

FileLimit raiseOpenFilesLimit()
{
    FileLimit limit;
    rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        limit.error = QString::fromLocal8Bit(strerror(errno));
        return limit;
    }
    const auto value = [](rlim_t v) { return v == RLIM_INFINITY ? qint64(-1) : qint64(v); };
    limit.soft = value(rl.rlim_cur);
    limit.hard = value(rl.rlim_max);
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) limit.error = QString::fromLocal8Bit(strerror(errno));
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) limit.now = value(rl.rlim_cur);
    return limit;
}

void ignoreBrokenPipeAndHangup()
{
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGHUP, SIG_IGN);
}

namespace {
int g_signalPipe[2] = {-1, -1};

void onStopSignal(int signal)
{
    const char byte = char(signal);
    const int saved = errno;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
    errno = saved;
}
} // namespace

StopSignals::StopSignals(QObject* parent)
    : QObject(parent)
{
    if (g_signalPipe[0] < 0) {
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) return;
        for (int fd : g_signalPipe) {
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        }
    }
    m_notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        while (::read(g_signalPipe[0], &byte, 1) == 1)
            Q_EMIT received(int(byte));
    });
    struct sigaction sa
    {
    };
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    m_active = true;
}

StopSignals::~StopSignals()
{
    if (!m_active) return;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (m_hangup) std::signal(SIGHUP, SIG_IGN);
}

void StopSignals::catchHangup()
{
    if (!m_active) return;
    struct sigaction sa
    {
    };
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, nullptr);
    m_hangup = true;
}

bool StopSignals::isHangup(int signal)
{
    return signal == SIGHUP;
}

#else // not Unix

bool takeSocketError(qintptr descriptor, SocketFailure* failure, QString* detail)
{
#ifdef Q_OS_WIN
    int error = 0;
    int length = sizeof error;
    if (descriptor < 0
        || getsockopt(
               SOCKET(descriptor), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &length)
            != 0
        || error == 0)
        return false;
    switch (error) {
    case WSAECONNRESET:
    case WSAECONNABORTED:
        *failure = SocketFailure::Reset;
        break;
    case WSAECONNREFUSED:
        *failure = SocketFailure::Refused;
        break;
    case WSAETIMEDOUT:
        *failure = SocketFailure::TimedOut;
        break;
    default:
        *failure = SocketFailure::Other;
    }
    *detail = QStringLiteral("socket error %1").arg(error);
    return true;
#else
    Q_UNUSED(descriptor);
    Q_UNUSED(failure);
    Q_UNUSED(detail);
    return false;
#endif
}

FileLimit raiseOpenFilesLimit()
{
    FileLimit limit;
    limit.error = QStringLiteral("not applicable on this system");
    return limit;
}

void ignoreBrokenPipeAndHangup() { }

#ifdef Q_OS_WIN
namespace {
StopSignals* g_stopSignals = nullptr;
BOOL WINAPI onConsoleEvent(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && type != CTRL_CLOSE_EVENT) return FALSE;
    if (g_stopSignals)
        QMetaObject::invokeMethod(g_stopSignals, "received", Qt::QueuedConnection, Q_ARG(int, 2));
    return TRUE;
}
} // namespace
#endif

StopSignals::StopSignals(QObject* parent)
    : QObject(parent)
{
#ifdef Q_OS_WIN
    g_stopSignals = this;
    m_active = SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#endif
}

StopSignals::~StopSignals()
{
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    g_stopSignals = nullptr;
#endif
}

void StopSignals::catchHangup() { }

bool StopSignals::isHangup(int)
{
    return false;
}

#endif

} // namespace swarm::platform
