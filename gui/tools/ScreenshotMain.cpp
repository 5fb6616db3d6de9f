// Takes the README's screenshots: the window during a run against the embedded demo server,
// with load raised and lowered from the window and a telnet colleague on the console.
//   xvfb-run -a -s "-screen 0 1920x1200x24" swarm_screenshot docs/screenshots [swarm options]
// The environment chooses the shot: SWARM_SHOT_SIZE (default 1600x1000), SWARM_SHOT_NAME (the
// file's name without .png; default main-window, plus yaml-editor.png of the YAML tab) and
// SWARM_SHOT_DARK=1 (a dark Fusion palette). docs/screenshots/update.sh takes them all.
#include "MainWindow.h"
#include "console/ConsoleServer.h"
#include "editor/ScenarioTabs.h"
#include "run/ChartsPanel.h"
#include "run/RunHistoryFile.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QPalette>
#include <QPushButton>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace swarm;

namespace {

void useDarkPalette()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b), base(0x1e, 0x1e, 0x1e), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6a, 0xa6, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    QApplication::setPalette(p);
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (qEnvironmentVariableIntValue("SWARM_SHOT_DARK") == 1) useDarkPalette();
    const QStringList size = qEnvironmentVariable("SWARM_SHOT_SIZE", QStringLiteral("1600x1000"))
                                 .split(QLatin1Char('x'));
    const QString name = qEnvironmentVariable("SWARM_SHOT_NAME", QStringLiteral("main-window"));
    const bool yamlShot = !qEnvironmentVariableIsSet("SWARM_SHOT_NAME");
    QCoreApplication::setOrganizationName(QStringLiteral("swarm-screenshot"));
    QCoreApplication::setApplicationName(QStringLiteral("swarm"));
    QStandardPaths::setTestModeEnabled(true); // the user's window layout stays untouched
    QFile::remove(RunHistoryFile::defaultPath()); // no runs of the screenshots before
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: swarm_screenshot OUT_DIR [swarm options]\n");
        return 2;
    }
    const QDir out(args.takeAt(1));
    QDir().mkpath(out.path());
    Options options;
    QString message;
    if (parseOptions(args + QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
            &options, &message)
        != ParseOutcome::Run) {
        std::fprintf(stderr, "swarm_screenshot: %s\n", qPrintable(message));
        return 2;
    }

    MainWindow window(options);
    window.resize(size.value(0).toInt(), size.value(1).toInt());
    window.show();
    window.startInitialRun();
    window.chartsPanel()->setWindowSeconds(60);
    RunPanel* run = window.runPanel();
    QTcpSocket colleague;
    int result = 1;

    struct Step
    {
        int atMs;
        std::function<void()> what;
    };
    const QList<Step> steps = {
        {1500,
            [&] {
                run->setStepText(QStringLiteral("100"));
                run->addConnections();
            }},
        {4000,
            [&] {
                colleague.connectToHost(QHostAddress::LocalHost, window.session()->consolePort());
            }},
        {6000, [&] { colleague.write("incr 150\n"); }},
        {12000, [&] { run->addConnections(); }},
        {18000, [&] { colleague.write("decr 100\n"); }},
        {22000, [&] { run->addConnections(); }},
        {26000, [&] { colleague.write("incr 50\n"); }},
        {30000,
            [&] {
                const QString main = out.filePath(name + QStringLiteral(".png"));
                const bool ok1 = window.grab().save(main);
                if (yamlShot) window.scenarioTabs()->setCurrentIndex(ScenarioTabs::YamlTab);
                QTimer::singleShot(500, &window, [&, main, ok1] {
                    const QString yaml = out.filePath(QStringLiteral("yaml-editor.png"));
                    const bool ok2 = !yamlShot || window.grab().save(yaml);
                    std::fprintf(stdout, "%s %s\n%s %s\n", ok1 ? "wrote" : "FAILED",
                        qPrintable(main), ok2 ? "wrote" : "FAILED", qPrintable(yaml));
                    colleague.abort();
                    result = ok1 && ok2 ? 0 : 1;
                    window.close(); // stops the run cleanly first, then closes
                });
            }},
    };
    for (const Step& s : steps)
        QTimer::singleShot(s.atMs, &window, s.what);
    QObject::connect(window.session(), &RunSession::stateChanged, &app, [&] {
        if (window.session()->state() == RunSession::State::Finished && !window.isVisible())
            QCoreApplication::exit(result);
    });
    QApplication::setQuitOnLastWindowClosed(false); // exits once the run has stopped
    return QApplication::exec();
}
