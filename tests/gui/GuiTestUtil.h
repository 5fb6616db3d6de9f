#pragma once

#include "run/RunHistoryFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QObject>
#include <QSettings>
#include <QStandardPaths>

#include <cstdio>
#include <cstdlib>

namespace swarm::test {

// A control of a window or panel by its object name; the test stops with the name if it is not
// there (a renamed control must fail loudly, not crash on a null pointer).
template<typename T> T* child(const QObject* parent, const char* name)
{
    T* found = parent->findChild<T*>(QLatin1String(name));
    if (!found) {
        std::fprintf(stderr, "no child %s named '%s'\n", T::staticMetaObject.className(), name);
        std::abort();
    }
    return found;
}

// The window's run history (kept across windows in the test location): gone, so a test's
// window starts with none.
inline void forgetRunHistory()
{
    QFile::remove(RunHistoryFile::defaultPath());
}

// Settings and data in a test location (one per test program: the application's name is the
// program's), emptied: the window keeps its layout, step and run history between runs, and
// each test starts afresh.
inline void useFreshSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("swarm-tests"));
    QSettings().clear();
    forgetRunHistory();
}

} // namespace swarm::test
