// A program that links only the engine library, for tools/check-engine-links.sh: it uses the
// engine's facade and options so the linker keeps them, and does nothing when run.
#include "core/Engine.h"
#include "run/Options.h"
#include "run/RunController.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    swarm::Options options;
    QString message;
    if (swarm::parseOptions(QCoreApplication::arguments(), &options, &message)
        != swarm::ParseOutcome::Run)
        return 2;
    swarm::RunController run(options);
    return run.engine() ? 1 : 0;
}
