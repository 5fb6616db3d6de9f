#include "run/TlsSetup.h"

#include "run/OptionTable.h"
#include "run/Options.h"
#ifdef SWARM_HAVE_EPOLL
#include "net/TlsContext.h"
#else
#include "net/TlsKeyCheck.h"
#endif

#include <QDir>
#include <QFileInfo>
#include <QSslConfiguration>

namespace swarm {

namespace {

// The option a key of the `tls:` block stands for.
QString optionOf(const QString& key)
{
    if (key == QLatin1String("enabled")) return QStringLiteral("tls");
    return QStringLiteral("tls-") + QString(key).replace(QLatin1Char('_'), QLatin1Char('-'));
}

bool isFileKey(const QString& key)
{
    return key == QLatin1String("ca") || key == QLatin1String("cert")
        || key == QLatin1String("key");
}

} // namespace

bool applyScenarioTls(const Scenario& scenario, Options* options, QString* error)
{
    bool commandLine = false;
    for (const QString& name : options->given)
        commandLine = commandLine || name.startsWith(QLatin1String("tls"));
    // A block with any setting turns TLS on, as any --tls-... option does; `enabled: false`
    // turns it off (the command line still wins).
    bool on = false;
    bool off = false;
    const QDir base = QFileInfo(scenario.file).absoluteDir();
    for (const ActionArg& t : scenario.tls) {
        const bool flag = t.value.typeId() == QMetaType::Bool;
        if (t.name == QLatin1String("enabled")) {
            (t.value.toBool() ? on : off) = true;
            continue;
        }
        on = true;
        const QString option = optionOf(t.name);
        const OptionRow* row = findOption(option);
        if (options->given.contains(option) || !row || (flag && !t.value.toBool())) continue;
        QString value = flag ? QString() : t.value.toString();
        if (isFileKey(t.name) && QFileInfo(value).isRelative()) value = base.filePath(value);
        QString why;
        if (isFileKey(t.name) && !QFileInfo(value).isFile())
            why = QStringLiteral("%1: no such file").arg(value);
        if (!why.isEmpty() || !row->apply(value, options, &why)) {
            *error = QStringLiteral("%1:%2:%3: tls.%4: %5")
                         .arg(scenario.file)
                         .arg(t.pos.line)
                         .arg(t.pos.column)
                         .arg(t.name, why);
            return false;
        }
    }
    if (!commandLine && !scenario.tls.isEmpty()) options->engine.socket.tls.enabled = on && !off;
    return true;
}

bool checkTls(const TlsConfig& tls, IoKind io, QString* error)
{
    if (!tls.enabled) return true;
    QSslConfiguration qt;
    if (!makeSslConfiguration(tls, &qt, error)) return false;
    // OpenSSL where the build has it, whichever transport runs: it also finds a key that is
    // not the certificate's, which Qt's configuration does not check.
    Q_UNUSED(io);
#ifdef SWARM_HAVE_EPOLL
    if (!TlsContext::create(tls, error)) return false;
#else
    // Without OpenSSL of its own (macOS, Windows): a loopback handshake with the pair finds it.
    QString why;
    if (!tls.certFile.isEmpty() && !keyFitsCertificateByHandshake(qt, &why)) {
        *error = QStringLiteral("--tls-key %1 is not the key of --tls-cert %2 (%3)")
                     .arg(tls.keyFile, tls.certFile, why);
        return false;
    }
#endif
    return true;
}

} // namespace swarm
