#include "run/Options.h"

#include "run/OptionTable.h"

#include <QCommandLineParser>
#include <QThread>

#include <cstring>

namespace swarm {

bool wantsNoWindow(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strcmp(a, "--headless") || !std::strcmp(a, "--check") || !std::strcmp(a, "-h")
            || !std::strcmp(a, "--help") || !std::strcmp(a, "-v") || !std::strcmp(a, "--version")
            || !std::strcmp(a, "--help-all"))
            return true;
    }
    return false;
}

namespace {

void describe(QCommandLineParser* parser)
{
    parser->setApplicationDescription(QStringLiteral(
        "swarm " SWARM_VERSION " - opens many persistent TCP connections, each running your "
        "protocol script over and over,\nwhile you raise and lower the load live from a telnet "
        "console (nc 127.0.0.1 8411: incr N, decr N, status, stop)."));
    parser->setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    for (const OptionRow& row : optionTable()) {
        QCommandLineOption option(row.nameList(), row.helpText());
        if (row.valueName) option.setValueName(QString::fromLatin1(row.valueName));
        parser->addOption(option);
    }
}

// Every value given, in order (the last of a single-valued option wins), into *o.
bool applyAll(const QCommandLineParser& parser, Options* o, QString* message)
{
    // The command line's one default that differs from the engine's (one worker): a worker per
    // core. Options built in code (tests) keep the engine's.
    o->engine.threads = qMax(1, QThread::idealThreadCount());
    for (const OptionRow& row : optionTable()) {
        const QString name = row.longName();
        if (!parser.isSet(name)) continue;
        const QStringList values
            = row.kind == OptionRow::Kind::Flag ? QStringList {QString()} : parser.values(name);
        for (const QString& value : values) {
            if (!row.apply(value, o, message)) return false;
        }
        o->given << name;
        if (name.startsWith(QLatin1String("tls"))) o->engine.socket.tls.enabled = true;
    }
    if (o->engine.ramp > 0 && !o->connectSpreadGiven) {
        // The ramp paces the connects: no random wait on top unless asked for.
        o->engine.connectSpreadMinMs = o->engine.connectSpreadMaxMs = 0;
    }
    return true;
}

} // namespace

ParseOutcome parseOptions(const QStringList& arguments, Options* o, QString* message)
{
    QCommandLineParser parser;
    const QCommandLineOption help(QStringList {QStringLiteral("h"), QStringLiteral("help")},
        QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringList {QStringLiteral("v"), QStringLiteral("version")},
        QStringLiteral("Show the version."));
    parser.addOption(help);
    parser.addOption(version);
    describe(&parser);
    if (!parser.parse(arguments)) {
        *message = parser.errorText() + QStringLiteral(" (see --help)");
        return ParseOutcome::Error;
    }
    if (parser.isSet(help)) {
        *message = parser.helpText();
        return ParseOutcome::Exit;
    }
    if (parser.isSet(version)) {
        *message = QStringLiteral("swarm " SWARM_VERSION);
        return ParseOutcome::Exit;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message = QStringLiteral("unexpected argument '%1' (see --help)")
                       .arg(parser.positionalArguments().first());
        return ParseOutcome::Error;
    }
    return applyAll(parser, o, message) ? ParseOutcome::Run : ParseOutcome::Error;
}

} // namespace swarm
