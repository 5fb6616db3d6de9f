#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace swarm {

// The scenarios opened lately, newest first, kept in QSettings and shown in File > Recent Files.
// Files that no longer exist are dropped when the menu is shown.
class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMax = 8;

    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    void remove(const QString& path);
    QStringList files() const;
    void clear();

Q_SIGNALS:
    void openRequested(const QString& path);

private:
    void save(const QStringList& files);
    void rebuildMenu();

    QMenu* m_menu;
};

} // namespace swarm
