#pragma once

#include <QCoreApplication>
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

// Settings in a test location, emptied: the window keeps its layout and step between runs, and
// each test starts afresh.
inline void useFreshSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("swarm-tests"));
    QSettings().clear();
}

} // namespace swarm::test
