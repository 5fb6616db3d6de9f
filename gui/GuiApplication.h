#pragma once

#include "run/Options.h"

#include <QCoreApplication>

#include <memory>

namespace swarm {

// The desktop application's entry points, called by app/main.cpp when no --headless is given.
std::unique_ptr<QCoreApplication> createGuiApplication(int& argc, char** argv);
// Opens the main window prefilled from the command line and runs until it is closed.
int runGui(const Options& options);

} // namespace swarm
