#include "GuiApplication.h"

#include "MainWindow.h"
#include "net/Platform.h"

#include <QApplication>
#include <QIcon>

#include <cstdlib>

namespace swarm {

std::unique_ptr<QCoreApplication> createGuiApplication(int& argc, char** argv)
{
    auto app = std::make_unique<QApplication>(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("swarm"));
    // Installed with the desktop entry (resources/swarm.svg); none when run from the build tree.
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("swarm")));
    return app;
}

int runGui(const Options& options)
{
    platform::ignoreBrokenPipeAndHangup();
    MainWindow window(options);
    // Ctrl-C in the terminal that started the window closes it as the Quit menu would (the run
    // stops cleanly first); a second one ends the process at once, as in headless mode.
    platform::StopSignals signals;
    int count = 0;
    QObject::connect(&signals, &platform::StopSignals::received, &window, [&window, &count] {
        if (++count > 1) std::_Exit(130);
        window.close();
    });
    window.show();
    window.startInitialRun();
    return QApplication::exec();
}

} // namespace swarm
