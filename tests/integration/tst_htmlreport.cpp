// `--html FILE`: a headless run against the embedded demo server writes the report, and a real
// headless Chromium (Debian's chromium) opens it from disk: the page must render (its closing
// script ran and counted every chart) with no script error in the browser's console, and it must
// be self-contained (no src= or href= to fetch: no network, no CDN).
#include "TestServers.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace swarm::test;

namespace {

constexpr int kTimeout = 60000;

struct Rendered
{
    bool ran = false;
    QString dom; // the DOM after the page's scripts ran (--dump-dom)
    QString console; // the browser's log, console messages included
};

// Opens `file` in headless Chromium and returns its DOM and log.
Rendered render(const QString& file, const QString& profile, QString* error)
{
    Rendered r;
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (exe.isEmpty()) {
        *error = QStringLiteral("chromium is not installed (./make.sh deps installs it)");
        return r;
    }
    QProcess p;
    // --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
    p.start(exe,
        {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
            QStringLiteral("--disable-gpu"), QStringLiteral("--no-first-run"),
            QStringLiteral("--user-data-dir=") + profile, QStringLiteral("--enable-logging=stderr"),
            QStringLiteral("--v=0"), QStringLiteral("--dump-dom"),
            QStringLiteral("file://") + file});
    if (!p.waitForFinished(kTimeout)) {
        p.kill();
        p.waitForFinished(5000);
        *error = QStringLiteral("chromium did not finish");
        return r;
    }
    r.ran = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    r.dom = QString::fromUtf8(p.readAllStandardOutput());
    r.console = QString::fromUtf8(p.readAllStandardError());
    if (!r.ran) *error = QStringLiteral("chromium failed: ") + r.console.right(2000);
    return r;
}

// A script error as Chromium logs it: "Uncaught TypeError: ...".
bool hasScriptError(const Rendered& r)
{
    return r.console.contains(QLatin1String("Uncaught"));
}

} // namespace

class TstHtmlReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void browserCatchesAScriptError();
    void reportRendersWithoutErrors();
};

// The check below is only worth something if a broken page fails it: a page with an error.
void TstHtmlReport::browserCatchesAScriptError()
{
    QTemporaryDir dir;
    const QString page = dir.filePath(QStringLiteral("broken.html"));
    QFile f(page);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("<!DOCTYPE html><html><body><script>noSuchFunction();</script></body></html>");
    f.close();
    QString error;
    const Rendered r = render(page, dir.filePath(QStringLiteral("profile")), &error);
    QVERIFY2(r.ran, qPrintable(error));
    QVERIFY2(hasScriptError(r), qPrintable(r.console));
}

void TstHtmlReport::reportRendersWithoutErrors()
{
    QTemporaryDir dir;
    const QString html = dir.filePath(QStringLiteral("report.html"));
    SwarmProcess swarm;
    QString error;
    // One threshold passes, one fails (exit 1): the page must say which.
    QVERIFY2(swarm.start(
                 {QStringLiteral("--connections"), QStringLiteral("20"), QStringLiteral("--rate"),
                     QStringLiteral("40"), QStringLiteral("--duration"), QStringLiteral("4s"),
                     QStringLiteral("--status-interval"), QStringLiteral("0"),
                     QStringLiteral("--threshold"), QStringLiteral("p99<10s"),
                     QStringLiteral("--threshold"), QStringLiteral("rps>1000000"),
                     QStringLiteral("--html"), html},
                 &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(kTimeout), 1);
    QVERIFY2(swarm.output().contains(QLatin1String("HTML report written to")),
        qPrintable(swarm.output()));
    QFile f(html);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(f.readAll());

    // Self-contained: nothing to fetch.
    static const QRegularExpression fetches(QStringLiteral(R"((src|href)\s*=)"));
    QVERIFY2(!page.contains(fetches), "the report refers to another file");
    QVERIFY(page.contains(QLatin1String("p99&lt;10s")));
    QVERIFY(page.contains(QLatin1String("<span class=\"fail\">FAILED</span>")));
    QVERIFY(page.contains(QLatin1String("<span class=\"pass\">passed</span>")));
    // The per-command table, the open model's figures and the charts with their lines.
    QVERIFY(page.contains(QLatin1String("<td>login</td>")));
    QVERIFY(page.contains(QLatin1String("p99*")));
    const int charts = int(page.count(QLatin1String("<svg class=\"chart\"")));
    QCOMPARE(charts, 5); // rates, latency, open model, states, distribution
    QVERIFY(page.count(QLatin1String("<polyline")) >= 8);

    const Rendered r = render(html, dir.filePath(QStringLiteral("profile")), &error);
    QVERIFY2(r.ran, qPrintable(error));
    QVERIFY2(!hasScriptError(r), qPrintable(r.console));
    // The page's script ran to its end: it counted the charts in the DOM the browser built.
    QVERIFY2(r.dom.contains(QStringLiteral("data-charts=\"%1\"").arg(charts)),
        qPrintable(r.dom.left(400)));
}

QTEST_GUILESS_MAIN(TstHtmlReport)
#include "tst_htmlreport.moc"
