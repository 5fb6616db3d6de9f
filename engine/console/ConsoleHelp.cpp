#include "console/ConsoleHelp.h"

#include "scenario/ClosestMatch.h"

namespace swarm {

namespace {

const ConsoleHelpEntry kEntries[] = {
    {"incr", "incr N", "start N new connections",
        "Asks for N more connections, spread over the workers and paced by the ramp (see 'ramp').\n"
        "N is a whole number from 1; the total may not pass the open-files limit, since each\n"
        "connection needs a file descriptor."},
    {"decr", "decr N [random|newest|oldest]", "close N random connections (or the newest/oldest)",
        "Closes N connections. By default they are picked at random, uniformly over every open\n"
        "connection of every worker; 'decr N newest' closes the most recently started ones,\n"
        "'decr N oldest' the longest-running ones. Connections still waiting for their ramp go\n"
        "first in every order: they only lower the target."},
    {"target", "target N", "set the number of connections to N (incr or decr as needed)",
        "Opens or closes connections until N are asked for (closing picks at random, as decr).\n"
        "The reply says what changed: 'target 500 (was 800): closing 300 connections'."},
    {"ramp", "ramp R", "open at most R connections per second (0: no pacing)",
        "Changes the connect rate of the ramp, as --ramp R does at start: connections still\n"
        "waiting open at the new rate at once. 'ramp 0' releases every waiting connection now\n"
        "and lets later incr commands open theirs at once."},
    {"rate", "rate R", "start R rounds per second over all connections (0: the closed loop)",
        "The open model, as --rate R does at start: each connection starts a round at its share\n"
        "of R (R / connections per second, fixed or Poisson as --arrivals says) in place of the\n"
        "sleeps; one request is in flight per connection, and an arrival that finds it busy\n"
        "waits: its latency counts from the intended start. Every schedule restarts at once.\n"
        "'rate 0' goes back to the closed loop; an action's own 'rate:' still applies.\n"
        "'status' shows achieved against asked rate and the backlog."},
    {"reload", "reload", "re-read the scenario and protocol module from disk and apply them",
        "Reads the scenario file and its protocol module again and applies them to the running\n"
        "load as the window's Apply to Running Load does: each connection picks up the new\n"
        "version at its next iteration; none is dropped. A file with errors is reported\n"
        "(file:line: key) and the load keeps running the old version. SIGHUP does the same in\n"
        "headless mode."},
    {"status", "status [errors|commands|connections|agents]",
        "print the counters now (or one part)",
        "status              the status block (connections by state, transitions, requests)\n"
        "status errors       recent errors by kind and command: counts and the last message\n"
        "status commands     per command: requests, errors, rates and latency percentiles\n"
        "status connections  connections by state, per worker, target and ramp\n"
        "status agents       a fleet controller's agents: state, connections, req/s, last error"},
    {"watch", "watch [N]", "print the status block every N seconds (2) until a key is pressed",
        "Prints the status block every N seconds (1 to 3600, default 2) in this session only,\n"
        "until any key (or, with a line-mode client, any line) is sent; that input is dropped."},
    {"stats", "stats json|snapshot", "the run's figures as one line of JSON",
        "stats json      the same figures as the --report file, as one line of JSON, for scripts\n"
        "                (a fleet controller adds an \"agents\" array, one object per agent)\n"
        "stats snapshot  this swarm's cumulative figures in the fleet controller's lossless form:\n"
        "                every counter exact, every latency histogram bucket by bucket, with who\n"
        "                answers (version, scenario, module digest); docs/REPORT.md describes it"},
    {"stop", "stop", "close every connection and stop swarm",
        "Closes every connection, writes the report and ends the run (and swarm, when headless)."},
    {"quit", "quit", "close this console session (also: exit)",
        "Ends this console session; the load keeps running."},
    {"help", "help [CMD]", "list the commands, or explain one",
        "'help' lists every command; 'help CMD' explains one."},
    {"auth", "auth TOKEN", "give the console token (when swarm runs with --console-token)",
        "Consoles listening beyond loopback need a token: send 'auth TOKEN' first."},
};

constexpr int kCount = int(sizeof(kEntries) / sizeof(kEntries[0]));

} // namespace

const ConsoleHelpEntry* ConsoleHelp::entries(int* count)
{
    *count = kCount;
    return kEntries;
}

const ConsoleHelpEntry* ConsoleHelp::find(const QString& name)
{
    const QString n
        = name.toLower() == QLatin1String("exit") ? QStringLiteral("quit") : name.toLower();
    for (const ConsoleHelpEntry& e : kEntries)
        if (n == QLatin1String(e.name)) return &e;
    return nullptr;
}

QStringList ConsoleHelp::names()
{
    QStringList out;
    for (const ConsoleHelpEntry& e : kEntries)
        out << QLatin1String(e.name);
    return out;
}

QString ConsoleHelp::usage()
{
    QStringList lines {QStringLiteral("Commands (help CMD explains one):")};
    for (const ConsoleHelpEntry& e : kEntries)
        lines << QStringLiteral("%1 -- %2")
                     .arg(QLatin1String(e.usage), -38)
                     .arg(QLatin1String(e.summary));
    return lines.join(QLatin1Char('\n'));
}

QString ConsoleHelp::explain(const QString& name)
{
    const ConsoleHelpEntry* e = find(name);
    if (!e)
        return QStringLiteral("ERROR: 'help %1': no such command; %2'help' lists them")
            .arg(name.left(40), suggestion(name));
    return QStringLiteral("%1 -- %2\n%3")
        .arg(QLatin1String(e->usage), QLatin1String(e->summary), QLatin1String(e->details));
}

QString ConsoleHelp::suggestion(const QString& word)
{
    QStringList candidates = names();
    candidates << QStringLiteral("exit");
    const QString match = closestMatch(word, candidates);
    if (match.isEmpty()) return QString();
    const ConsoleHelpEntry* e = find(match);
    return QStringLiteral("did you mean '%1'? ").arg(e ? QString::fromLatin1(e->usage) : match);
}

} // namespace swarm
