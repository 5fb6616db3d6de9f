#include "run/RunHistoryFile.h"

#include "run/SaveFile.h"
#include "stats/Report.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace swarm {

namespace {

constexpr int kFormat = 1; // the file's "format": a newer one is refused, not misread

const QString kSeries = QStringLiteral("series_csv");

// The --csv text back into samples, by column name (an unknown column is skipped).
TimeSeries seriesFromCsv(const QString& csv)
{
    TimeSeries series;
    const QStringList rows = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (rows.isEmpty()) return series;
    const QStringList header = rows.first().split(QLatin1Char(','));
    for (int r = 1; r < rows.size(); ++r) {
        const QStringList cells = rows[r].split(QLatin1Char(','));
        TimeSample t;
        for (int c = 0; c < header.size() && c < cells.size(); ++c) {
            const QString& name = header[c];
            const double v = cells[c].toDouble();
            if (name == QLatin1String("elapsed_s"))
                t.elapsedMs = qint64(v * 1000.0 + 0.5);
            else if (name == QLatin1String("connections"))
                t.connections = qint32(v);
            else if (name == QLatin1String("rps"))
                t.rps = float(v);
            else if (name == QLatin1String("errors_per_s"))
                t.errorsPerSecond = float(v);
            else if (name == QLatin1String("p50_us"))
                t.p50Us = quint32(v);
            else if (name == QLatin1String("p99_us"))
                t.p99Us = quint32(v);
            else if (name == QLatin1String("bytes_sent_per_s"))
                t.bytesSentPerSecond = float(v);
            else if (name == QLatin1String("bytes_received_per_s"))
                t.bytesReceivedPerSecond = float(v);
            for (int s = 0; s < kStateCount; ++s)
                if (name == QLatin1String(stateName(s))) t.states[size_t(s)] = qint32(v);
        }
        series.append(t);
    }
    return series;
}

TimeSeries thinned(const TimeSeries& series)
{
    const int every
        = (series.size() + RunHistoryFile::kMaxSamples - 1) / RunHistoryFile::kMaxSamples;
    if (every <= 1) return series;
    TimeSeries out;
    for (int i = 0; i < series.size(); i += every)
        out.append(series.at(i));
    return out;
}

} // namespace

QString RunHistoryFile::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("run-history.json"));
}

bool RunHistoryFile::load(const QString& path, QList<Entry>* entries, QString* error)
{
    entries->clear();
    QFile file(path);
    if (!file.exists()) return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = doc.object();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()
        || root.value(QStringLiteral("format")).toInt() != kFormat
        || !root.value(QStringLiteral("runs")).isArray()) {
        *error = QStringLiteral("%1 is not a swarm run history (%2)")
                     .arg(path,
                         parseError.error != QJsonParseError::NoError
                             ? QStringLiteral("%1 at byte %2")
                                   .arg(parseError.errorString())
                                   .arg(parseError.offset)
                             : QStringLiteral("no format %1 'runs' list").arg(kFormat));
        return false;
    }
    for (const QJsonValue& v : root.value(QStringLiteral("runs")).toArray()) {
        const QJsonObject o = v.toObject();
        Entry e;
        e.number = o.value(QStringLiteral("number")).toInt();
        e.label = o.value(QStringLiteral("label")).toString();
        e.report = o.value(QStringLiteral("report")).toObject();
        e.series = std::make_shared<const TimeSeries>(seriesFromCsv(o.value(kSeries).toString()));
        if (e.number <= 0 || e.label.isEmpty()) {
            entries->clear();
            *error = QStringLiteral("%1 is not a swarm run history (a run without its number "
                                    "or label)")
                         .arg(path);
            return false;
        }
        entries->append(e);
    }
    return true;
}

bool RunHistoryFile::save(const QString& path, const QList<Entry>& entries, QString* error)
{
    QJsonArray runs;
    for (const Entry& e : entries) {
        QJsonObject o;
        o[QStringLiteral("number")] = e.number;
        o[QStringLiteral("label")] = e.label;
        o[QStringLiteral("report")] = e.report;
        o[kSeries] = timeSeriesCsv(e.series ? thinned(*e.series) : TimeSeries());
        runs.append(o);
    }
    QJsonObject root;
    root[QStringLiteral("format")] = kFormat;
    root[QStringLiteral("runs")] = runs;
    QDir().mkpath(QFileInfo(path).absolutePath());
    return saveFile(path, QJsonDocument(root).toJson(QJsonDocument::Compact), error);
}

} // namespace swarm
