#include "console/ConsoleCommand.h"

#include "console/ConsoleHelp.h"
#include "scenario/ClosestMatch.h"

#include <QList>

namespace swarm {

namespace {

using Kind = ConsoleCommand::Kind;

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
        if (i > start) out << line.mid(start, i - start);
    }
    return out;
}

// Parses one command's words; `c` arrives with its text set and leaves with its kind (Invalid
// and an error when the words are wrong).
class Parser
{
public:
    Parser(const QList<QByteArray>& w, ConsoleCommand& c)
        : m_words(w)
        , m_command(c)
        , m_verb(QString::fromUtf8(w[0]).toLower())
    { }

    ConsoleCommand& invalid(const QString& why)
    {
        m_command.kind = Kind::Invalid;
        m_command.error = why;
        m_command.amount = 0;
        m_command.rate = 0;
        return m_command;
    }

    QString usage() const
    {
        const ConsoleHelpEntry* e = ConsoleHelp::find(m_verb);
        return e ? QString::fromLatin1(e->usage) : m_verb;
    }

    ConsoleCommand& tooMany()
    {
        return invalid(QStringLiteral("too many arguments (ending with '%1'); usage: %2")
                           .arg(word(int(m_words.size()) - 1), usage()));
    }

    QString word(int i) const { return QString::fromUtf8(m_words[i]).left(40); }

    ConsoleCommand& noArguments(Kind kind)
    {
        if (m_words.size() > 1)
            return invalid(
                QStringLiteral("'%1' takes no argument (got '%2')").arg(m_verb, word(1)));
        m_command.kind = kind;
        return m_command;
    }

    // A whole number in [lo, kMaxConsoleAmount] as word i.
    ConsoleCommand& amount(Kind kind, int lo)
    {
        if (m_words.size() < 2)
            return invalid(QStringLiteral("'%1' needs a number: %2").arg(m_verb, usage()));
        bool ok = false;
        const qlonglong n = m_words[1].toLongLong(&ok);
        if (!ok || n < lo || n > kMaxConsoleAmount)
            return invalid(QStringLiteral("'%1 %2': N must be a whole number from %3 to %4")
                               .arg(m_verb, word(1))
                               .arg(lo)
                               .arg(kMaxConsoleAmount));
        m_command.kind = kind;
        m_command.amount = int(n);
        return m_command;
    }

    // Word i must be one of `choices` (case-insensitive); returns its index, or -1 after
    // making the command invalid with the nearest choice.
    int choice(int i, const QStringList& choices)
    {
        const QString w = QString::fromUtf8(m_words[i]).toLower();
        const int index = int(choices.indexOf(w));
        if (index >= 0) return index;
        const QString match = closestMatch(w, choices);
        invalid(QStringLiteral("'%1': unknown argument '%2'%3; usage: %4")
                    .arg(m_verb, word(i),
                        match.isEmpty() ? QString()
                                        : QStringLiteral(" (did you mean '%1'?)").arg(match),
                        usage()));
        return -1;
    }

    ConsoleCommand& parse();

private:
    ConsoleCommand& decr();
    ConsoleCommand& ramp();
    ConsoleCommand& rate();
    ConsoleCommand& perSecond(Kind kind, const char* meaning);
    ConsoleCommand& stats();
    ConsoleCommand& status();
    ConsoleCommand& watch();

    const QList<QByteArray>& m_words;
    ConsoleCommand& m_command;
    const QString m_verb;
};

ConsoleCommand& Parser::parse()
{
    if (m_verb == QLatin1String("incr"))
        return m_words.size() > 2 ? tooMany() : amount(Kind::Incr, 1);
    if (m_verb == QLatin1String("decr")) return decr();
    if (m_verb == QLatin1String("target"))
        return m_words.size() > 2 ? tooMany() : amount(Kind::Target, 0);
    if (m_verb == QLatin1String("ramp")) return ramp();
    if (m_verb == QLatin1String("rate")) return rate();
    if (m_verb == QLatin1String("reload")) return noArguments(Kind::Reload);
    if (m_verb == QLatin1String("status")) return status();
    if (m_verb == QLatin1String("watch")) return watch();
    if (m_verb == QLatin1String("stop")) return noArguments(Kind::Stop);
    if (m_verb == QLatin1String("quit") || m_verb == QLatin1String("exit"))
        return noArguments(Kind::Quit);
    if (m_verb == QLatin1String("help") || m_verb == QLatin1String("?")) {
        if (m_words.size() > 2) return invalid(QStringLiteral("usage: help [CMD]"));
        m_command.kind = Kind::Help;
        if (m_words.size() == 2) m_command.argument = word(1);
        return m_command;
    }
    if (m_verb == QLatin1String("stats")) return stats();
    if (m_verb == QLatin1String("auth")) {
        m_command.text = QStringLiteral("auth ****");
        if (m_words.size() != 2)
            return invalid(QStringLiteral("'auth' needs the token: auth TOKEN"));
        m_command.kind = Kind::Auth;
        m_command.argument = QString::fromUtf8(m_words[1]);
        return m_command;
    }
    return invalid(QStringLiteral("unknown command '%1'; %2'help' lists every command")
                       .arg(word(0), ConsoleHelp::suggestion(m_verb)));
}

ConsoleCommand& Parser::decr()
{
    if (m_words.size() > 3) return tooMany();
    if (amount(Kind::Decr, 1).kind == Kind::Invalid || m_words.size() < 3) return m_command;
    const int which
        = choice(2, {QStringLiteral("random"), QStringLiteral("newest"), QStringLiteral("oldest")});
    if (which >= 0) m_command.order = ConsoleCommand::Order(which);
    return m_command;
}

ConsoleCommand& Parser::ramp()
{
    return perSecond(Kind::Ramp, "connections per second from 0 (no pacing)");
}

ConsoleCommand& Parser::rate()
{
    return perSecond(Kind::Rate, "rounds per second over all connections from 0 (the closed loop)");
}

// `ramp R`, `rate R`: one rate from 0 to kMaxConsoleRamp; `meaning` says what R counts.
ConsoleCommand& Parser::perSecond(Kind kind, const char* meaning)
{
    if (m_words.size() != 2)
        return invalid(QStringLiteral("'%1' needs one rate: %2").arg(m_verb, usage()));
    bool ok = false;
    const double r = m_words[1].toDouble(&ok);
    // !(r >= 0) also refuses NaN.
    if (!ok || !(r >= 0) || r > kMaxConsoleRamp)
        return invalid(QStringLiteral("'%1 %2': R must be a number of %3 to %4")
                           .arg(m_verb, word(1), QLatin1String(meaning))
                           .arg(kMaxConsoleRamp, 0, 'f', 0));
    m_command.kind = kind;
    m_command.rate = r;
    return m_command;
}

// `stats json` (the report's figures) or `stats snapshot` (the fleet controller's lossless form).
ConsoleCommand& Parser::stats()
{
    if (m_words.size() > 2) return tooMany();
    if (m_words.size() < 2)
        return invalid(QStringLiteral("'stats' needs what to print: %1").arg(usage()));
    const int which = choice(1, {QStringLiteral("json"), QStringLiteral("snapshot")});
    if (which >= 0) m_command.kind = which == 0 ? Kind::StatsJson : Kind::StatsSnapshot;
    return m_command;
}

ConsoleCommand& Parser::status()
{
    if (m_words.size() > 2) return tooMany();
    m_command.kind = Kind::Status;
    if (m_words.size() == 1) return m_command;
    const int which = choice(1,
        {QStringLiteral("errors"), QStringLiteral("commands"), QStringLiteral("connections"),
            QStringLiteral("agents")});
    if (which >= 0) m_command.view = ConsoleCommand::View(which + 1);
    return m_command;
}

ConsoleCommand& Parser::watch()
{
    if (m_words.size() > 2) return tooMany();
    m_command.kind = Kind::Watch;
    m_command.amount = kDefaultWatchSeconds;
    if (m_words.size() == 1) return m_command;
    bool ok = false;
    const qlonglong n = m_words[1].toLongLong(&ok);
    if (!ok || n < 1 || n > kMaxWatchSeconds)
        return invalid(
            QStringLiteral("'watch %1': N must be a whole number of seconds from 1 to %2")
                .arg(word(1))
                .arg(kMaxWatchSeconds));
    m_command.amount = int(n);
    return m_command;
}

} // namespace

ConsoleCommand parseConsoleLine(const QByteArray& line)
{
    // Split what the transcript shows (trimmed as text, which drops "\r", "\v", no-break spaces
    // and the like too): otherwise "\vauth TOKEN" is no auth command, and its token is shown.
    const QList<QByteArray> w = words(QString::fromUtf8(line).trimmed().toUtf8());
    ConsoleCommand c;
    if (w.isEmpty()) return c;
    c.text = QString::fromUtf8(line).trimmed();
    Parser(w, c).parse();
    return c;
}

} // namespace swarm
