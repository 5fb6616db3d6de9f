#include "RecentFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace swarm {

namespace {
const QString kKey = QStringLiteral("recentFiles");
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent)
    : QObject(parent)
    , m_menu(menu)
{
    connect(menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
    rebuildMenu();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::save(const QStringList& files)
{
    QSettings().setValue(kKey, files);
    // Queued: the menu may be showing, or running the very action that called this.
    QMetaObject::invokeMethod(this, &RecentFiles::rebuildMenu, Qt::QueuedConnection);
}

void RecentFiles::add(const QString& path)
{
    if (path.isEmpty() || path.startsWith(QLatin1String(":/")))
        return; // the bundled examples are always a click away in the Open dialog's place
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMax)
        list.removeLast();
    save(list);
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = files();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    save(list);
}

void RecentFiles::clear()
{
    save({});
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    QStringList list = files();
    QStringList existing;
    for (const QString& f : list)
        if (QFileInfo::exists(f)) existing << f;
    if (existing != list) QSettings().setValue(kKey, existing);
    int n = 0;
    for (const QString& f : existing) {
        ++n;
        const QString label = QStringLiteral("&%1 %2  —  %3")
                                  .arg(n)
                                  .arg(QFileInfo(f).fileName(),
                                      QDir::toNativeSeparators(QFileInfo(f).absolutePath()));
        m_menu->addAction(label, this, [this, f] { Q_EMIT openRequested(f); });
    }
    if (existing.isEmpty()) m_menu->addAction(tr("(none yet)"))->setEnabled(false);
    m_menu->addSeparator();
    m_menu->addAction(tr("Clear Recent Files"), this, &RecentFiles::clear)
        ->setEnabled(!existing.isEmpty());
}

} // namespace swarm
