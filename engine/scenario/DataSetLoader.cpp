#include "scenario/DataSetLoader.h"

#include "scenario/ArgTemplate.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>

namespace swarm {

namespace {

// Files loaded and still held by some bundle, by what identifies their content.
QMutex cacheMutex;
QHash<QString, std::weak_ptr<const DataSet>>& cache()
{
    static QHash<QString, std::weak_ptr<const DataSet>> sets;
    return sets;
}

QString cacheKey(const QString& path, const DataSource& s)
{
    const QFileInfo info(path);
    return QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
        .arg(info.absoluteFilePath())
        .arg(info.size())
        .arg(info.lastModified().toMSecsSinceEpoch())
        .arg(s.name)
        .arg(int(s.format))
        .arg(int(s.order))
        .arg(s.wrap);
}

DataSetPtr loadShared(const QString& path, const DataSource& source, DataSet::Problem* problem)
{
    const QString key = cacheKey(path, source);
    {
        QMutexLocker lock(&cacheMutex);
        if (DataSetPtr set = cache().value(key).lock()) return set;
    }
    DataSetPtr set = DataSet::load(source, path, problem);
    if (set) {
        QMutexLocker lock(&cacheMutex);
        cache().insert(key, set);
    }
    return set;
}

} // namespace

QString DataSetLoader::pathOf(const Scenario& scenario, const DataSource& source)
{
    if (QFileInfo(source.file).isAbsolute()) return source.file;
    const QString folder = QFileInfo(scenario.file).path();
    return QDir::cleanPath(QDir(folder).filePath(source.file));
}

std::vector<DataSetPtr> DataSetLoader::load(const Scenario& scenario, Diagnostics* diagnostics)
{
    std::vector<DataSetPtr> sets;
    for (const DataSource& source : scenario.data) {
        const QString path = pathOf(scenario, source);
        DataSet::Problem problem;
        DataSetPtr set = loadShared(path, source, &problem);
        if (!set) {
            Diagnostic d;
            if (problem.line > 0) { // a row of the file: point into the file itself
                d.file = path;
                d.line = problem.line;
                d.column = problem.column;
                d.message = QStringLiteral("data '%1': %2").arg(source.name, problem.message);
            } else { // the file as a whole: point at the scenario's line naming it
                d.file = scenario.file;
                d.line = source.filePos.line;
                d.column = source.filePos.column;
                d.key = source.name;
                d.message = QStringLiteral("%1 (%2)").arg(problem.message, path);
            }
            *diagnostics << d;
        }
        sets.push_back(std::move(set));
    }
    return sets;
}

QString DataSetLoader::shortage(
    const std::vector<DataSetPtr>& data, Fleet fleet, qint64 connections)
{
    for (const DataSetPtr& set : data) {
        if (!set || set->source().order != DataSource::Order::Unique || set->source().wrap)
            continue;
        const qint64 rows = set->localRows(fleet);
        if (connections <= rows) continue;
        const QString share = fleet.count > 1
            ? QStringLiteral(" (agent %1 of %2 takes one row in %2: %3 of the file's %4)")
                  .arg(fleet.index)
                  .arg(fleet.count)
                  .arg(rows)
                  .arg(set->rowCount())
            : QString();
        return QStringLiteral("data '%1' (%2, order: unique) has %3 row%4%5 and each connection "
                              "needs its own: %6 connections need %6 rows. Add rows, close some "
                              "(decr), or set 'wrap: true' to share rows")
            .arg(set->source().name, set->source().file)
            .arg(rows)
            .arg(rows == 1 ? "" : "s")
            .arg(share)
            .arg(connections);
    }
    return QString();
}

Diagnostics DataSetLoader::checkTemplates(
    const Scenario& scenario, const std::vector<DataSetPtr>& data)
{
    QStringList names;
    QList<QStringList> columns;
    for (size_t i = 0; i < size_t(scenario.data.size()); ++i) {
        names << scenario.data[qsizetype(i)].name;
        columns << (i < data.size() && data[i] ? data[i]->columns() : QStringList());
    }
    Diagnostics diagnostics;
    QList<Action> all = scenario.actions;
    if (scenario.hasOnClose()) all.append(scenario.onClose);
    int index = 0;
    for (const Action& action : all) {
        ++index;
        for (const ActionArg& arg : action.args) {
            if (!ArgTemplate::isTemplate(arg.value)) continue;
            ArgTemplate t;
            StringTemplate::Error error;
            QString bad;
            if (t.compile(arg.value, names, columns, &error, &bad)) continue;
            Diagnostic d;
            d.file = scenario.file;
            d.actionIndex = index > scenario.actions.size() ? 0 : index;
            d.key = arg.name;
            d.line = arg.valuePos.line;
            d.column = arg.valuePos.column;
            // The column of the fault inside a one-line string given as the argument itself.
            if (arg.value.toString() == bad && !bad.contains(QLatin1Char('\n')))
                d.column += error.at;
            d.message = QStringLiteral("template \"%1\": %2").arg(bad, error.message);
            diagnostics << d;
        }
    }
    return diagnostics;
}

} // namespace swarm
