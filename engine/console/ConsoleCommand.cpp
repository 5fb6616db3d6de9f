#include "console/ConsoleCommand.h"

#include <QList>

namespace swarm {

namespace {

QList<QByteArray> words(const QByteArray& line)
{
    QList<QByteArray> out;
    qsizetype i = 0;
    const qsizetype n = line.size();
    while (i < n) {
        while (i < n && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        const qsizetype start = i;
        while (i < n && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (i > start)
            out << line.mid(start, i - start);
    }
    return out;
}

ConsoleCommand invalid(const QString& text, const QString& why)
{
    ConsoleCommand c;
    c.kind = ConsoleCommand::Kind::Invalid;
    c.text = text;
    c.error = why;
    return c;
}

} // namespace

ConsoleCommand parseConsoleLine(const QByteArray& line)
{
    // Split what the transcript shows (trimmed as text, which drops "\r", "\v", no-break spaces
    // and the like too): otherwise "\vauth TOKEN" is no auth command, and its token is shown.
    const QList<QByteArray> w = words(QString::fromUtf8(line).trimmed().toUtf8());
    ConsoleCommand c;
    if (w.isEmpty())
        return c;
    const QByteArray verb = w[0].toLower();
    c.text = QString::fromUtf8(line).trimmed();
    const auto noArguments = [&](ConsoleCommand::Kind kind) {
        if (w.size() > 1)
            return invalid(c.text, QStringLiteral("'%1' takes no argument")
                                       .arg(QString::fromUtf8(verb)));
        c.kind = kind;
        return c;
    };
    if (verb == "incr" || verb == "decr") {
        const QString name = QString::fromUtf8(verb);
        if (w.size() != 2)
            return invalid(c.text, QStringLiteral("'%1' needs a number: %1 N").arg(name));
        bool ok = false;
        const qlonglong n = w[1].toLongLong(&ok);
        if (!ok || n <= 0 || n > kMaxConsoleAmount)
            return invalid(c.text, QStringLiteral("'%1 %2': N must be a whole number from 1 to %3")
                                       .arg(name, QString::fromUtf8(w[1]).left(40))
                                       .arg(kMaxConsoleAmount));
        c.kind = verb == "incr" ? ConsoleCommand::Kind::Incr : ConsoleCommand::Kind::Decr;
        c.amount = int(n);
        return c;
    }
    if (verb == "stop")
        return noArguments(ConsoleCommand::Kind::Stop);
    if (verb == "quit" || verb == "exit")
        return noArguments(ConsoleCommand::Kind::Quit);
    if (verb == "help" || verb == "?")
        return noArguments(ConsoleCommand::Kind::Help);
    if (verb == "status")
        return noArguments(ConsoleCommand::Kind::Status);
    if (verb == "stats") {
        if (w.size() == 2 && w[1].toLower() == "json") {
            c.kind = ConsoleCommand::Kind::StatsJson;
            return c;
        }
        return invalid(c.text, QStringLiteral("did you mean 'stats json'?"));
    }
    if (verb == "auth") {
        c.text = QStringLiteral("auth ****");
        if (w.size() != 2)
            return invalid(c.text, QStringLiteral("'auth' needs the token: auth TOKEN"));
        c.kind = ConsoleCommand::Kind::Auth;
        c.argument = QString::fromUtf8(w[1]);
        return c;
    }
    return invalid(c.text, QStringLiteral("unknown command '%1'")
                               .arg(QString::fromUtf8(w[0]).left(40)));
}

} // namespace swarm
