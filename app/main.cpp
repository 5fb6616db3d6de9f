// swarm: the one executable. Chooses before it builds: --headless, --check, --help and
// --version need no window (QCoreApplication); otherwise the desktop application.
#include "run/Options.h"
#include "run/RunController.h"

#include <QCoreApplication>
#include <QTextStream>

#ifdef SWARM_WITH_GUI
#include "GuiApplication.h"
#endif

#include <cstdio>

namespace {

int runHeadless(const swarm::Options& options)
{
    swarm::RunController run(options);
    QTextStream out(stdout);
    QTextStream err(stderr);
    QObject::connect(&run, &swarm::RunController::output, [&out](const QString& text) {
        out << text << '\n';
        out.flush();
    });
    QObject::connect(&run, &swarm::RunController::error, [&err](const QString& text) {
        err << text << '\n';
        err.flush();
    });
    QObject::connect(
        &run, &swarm::RunController::finished, [](int code) { QCoreApplication::exit(code); });
    run.handleStopSignals();
    if (!run.start()) return run.exitCode();
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char** argv)
{
#ifdef SWARM_WITH_GUI
    const bool window = !swarm::wantsNoWindow(argc, argv);
#else
    const bool window = false;
#endif
    std::unique_ptr<QCoreApplication> app;
#ifdef SWARM_WITH_GUI
    if (window) app = swarm::createGuiApplication(argc, argv);
#endif
    if (!app) app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("swarm"));
    QCoreApplication::setOrganizationName(QStringLiteral("swarm"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWARM_VERSION));

    swarm::Options options;
    QString message;
    switch (swarm::parseOptions(QCoreApplication::arguments(), &options, &message)) {
    case swarm::ParseOutcome::Exit:
        std::fprintf(stdout, "%s\n", qPrintable(message));
        return 0;
    case swarm::ParseOutcome::Error:
        std::fprintf(stderr, "swarm: %s\n", qPrintable(message));
        return 2;
    case swarm::ParseOutcome::Run:
        break;
    }
#ifdef SWARM_WITH_GUI
    if (window) return swarm::runGui(options);
#endif
    Q_UNUSED(window);
    return runHeadless(options);
}
