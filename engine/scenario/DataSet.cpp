#include "scenario/DataSet.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <cstring>
#include <limits>

namespace swarm {

namespace {

// Row offsets are 4 bytes: a larger file is not a list of users but a mistake.
constexpr qint64 kMaxFileBytes = qint64(std::numeric_limits<quint32>::max());

// The column a user's editor shows: characters, not bytes, from the line's start.
int columnOf(const char* data, qint64 lineStart, qint64 at)
{
    return int(QString::fromUtf8(data + lineStart, at - lineStart).size()) + 1;
}

bool isBlank(const char* p, qint64 from, qint64 to)
{
    for (qint64 i = from; i < to; ++i)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return false;
    return true;
}

// A line without quotes whose commas make the header's count of fields: taken as a row in one
// tight pass over its bytes. Anything else is left to the full reader, which also words the
// error.
bool fastRow(const QByteArray& bytes, qsizetype columns, std::vector<quint32>* rows, qint64* at)
{
    const char* p = bytes.constData();
    const qint64 n = bytes.size();
    const qint64 start = *at;
    qsizetype commas = 0;
    qint64 i = start;
    for (; i < n; ++i) {
        const char c = p[i];
        if (c == '\n') break;
        if (c == '"') return false;
        commas += c == ',';
    }
    if (commas + 1 != columns) return false;
    rows->push_back(quint32(start));
    *at = i < n ? i + 1 : n;
    return true;
}

} // namespace

const char* DataSource::orderName(Order order)
{
    switch (order) {
    case Order::Unique:
        return "unique";
    case Order::Random:
        return "random";
    case Order::Sequential:
        break;
    }
    return "sequential";
}

const char* DataSource::formatName(Format format)
{
    return format == Format::JsonLines ? "jsonl" : "csv";
}

DataSetPtr DataSet::load(const DataSource& source, const QString& path, Problem* problem)
{
    const QFileInfo info(path);
    const auto cannot = [problem](const QString& why) {
        problem->message = QStringLiteral("cannot read the data file: ") + why;
        return nullptr;
    };
    if (!info.exists()) return cannot(QStringLiteral("no such file"));
    if (info.isDir()) return cannot(QStringLiteral("it is a directory, not a file"));
    if (info.size() > kMaxFileBytes) return cannot(QStringLiteral("larger than 4 GiB"));
    QElapsedTimer clock;
    clock.start();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return cannot(file.errorString());
    if (file.isSequential()) // a pipe or a device: no size to check, maybe no end
        return cannot(QStringLiteral("not a regular file"));
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) return cannot(file.errorString());
    if (bytes.size() > kMaxFileBytes) return cannot(QStringLiteral("larger than 4 GiB"));
    DataSetPtr set = parse(source, std::move(bytes), problem);
    if (set) std::const_pointer_cast<DataSet>(set)->m_loadMs = clock.elapsed();
    return set;
}

DataSetPtr DataSet::parse(const DataSource& source, QByteArray bytes, Problem* problem)
{
    std::shared_ptr<DataSet> set(new DataSet);
    set->m_source = source;
    set->m_bytes = std::move(bytes);
    // One row a line, nearly always: the index is allocated once, at its final size.
    set->m_rowStart.reserve(
        size_t(std::count(set->m_bytes.cbegin(), set->m_bytes.cend(), '\n') + 1));
    const bool ok = source.format == DataSource::Format::JsonLines ? set->scanJsonLines(problem)
                                                                   : set->scanCsv(problem);
    if (!ok) return nullptr;
    if (set->m_rowStart.empty()) {
        problem->message = source.format == DataSource::Format::JsonLines
            ? QStringLiteral("no rows: write one JSON object a line")
            : QStringLiteral("no rows: the header row must be followed by at least one row");
        return nullptr;
    }
    set->m_rowStart.shrink_to_fit();
    return set;
}

// RFC 4180: fields separated by commas, records by line breaks (\n or \r\n); a field in double
// quotes may hold commas, line breaks and doubled quotes. The first record is the header. Every
// record must have as many fields as the header; blank lines are skipped.
bool DataSet::scanCsv(Problem* problem)
{
    const char* p = m_bytes.constData();
    const qint64 n = m_bytes.size();
    qint64 i = m_bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    int line = 1;
    qint64 lineStart = i;
    const auto fail = [&](int atLine, qint64 atLineStart, qint64 at, const QString& message) {
        problem->line = atLine;
        problem->column = columnOf(p, atLineStart, at);
        problem->message = message;
        return false;
    };
    const auto endsLine = [&](qint64 at) {
        return at < n && (p[at] == '\n' || (p[at] == '\r' && at + 1 < n && p[at + 1] == '\n'));
    };
    int expected = -1; // fields of the header, once read
    while (i < n) {
        if (endsLine(i)) { // a blank line
            i += p[i] == '\r' ? 2 : 1;
            ++line;
            lineStart = i;
            continue;
        }
        if (expected > 0
            && fastRow(m_bytes, m_columns.size(), &m_rowStart,
                &i)) { // the common line: no quotes, the header's fields
            ++line;
            lineStart = i;
            continue;
        }
        const qint64 recordStart = i;
        const int recordLine = line;
        const qint64 recordLineStart = lineStart;
        int fields = 0;
        qint64 extraField = -1; // where the first field beyond the header's count starts
        for (;;) {
            if (++fields == expected + 1 && expected > 0) extraField = i;
            if (i < n && p[i] == '"') {
                const qint64 open = i;
                const int openLine = line;
                const qint64 openLineStart = lineStart;
                for (++i;; ++i) {
                    if (i >= n)
                        return fail(openLine, openLineStart, open,
                            QStringLiteral("a quoted field is never closed (no matching "
                                           "\" before the end of the file)"));
                    if (p[i] == '"') {
                        if (i + 1 < n && p[i + 1] == '"') {
                            ++i;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (p[i] == '\n') {
                        ++line;
                        lineStart = i + 1;
                    }
                }
                if (i < n && p[i] != ',' && !endsLine(i))
                    return fail(line, lineStart, i,
                        QStringLiteral("text after the closing quote of a field (a quote "
                                       "inside a quoted field is written twice: \"\")"));
            } else {
                for (; i < n && p[i] != ',' && !endsLine(i); ++i)
                    if (p[i] == '"')
                        return fail(line, lineStart, i,
                            QStringLiteral("a quote inside an unquoted field: quote the "
                                           "whole field and double the quote, "
                                           "\"say \"\"hi\"\"\""));
            }
            if (i < n && p[i] == ',') {
                ++i;
                continue;
            }
            break;
        }
        if (expected < 0) {
            expected = fields;
            m_columns = csvFields(recordStart);
            for (int c = 0; c < m_columns.size(); ++c) {
                const QString& name = m_columns[c];
                if (name.trimmed().isEmpty() || m_columns.indexOf(name) != c)
                    return fail(recordLine, recordLineStart, recordStart,
                        QStringLiteral("header: column %1 %2 (the first row names the "
                                       "columns: name,password,...)")
                            .arg(c + 1)
                            .arg(name.trimmed().isEmpty()
                                    ? QStringLiteral("has no name")
                                    : QStringLiteral("'%1' is named twice").arg(name)));
            }
        } else if (fields != expected) {
            return fail(recordLine, recordLineStart, fields > expected ? extraField : i,
                QStringLiteral("%1 field%2 in this row, the header has %3 (%4)")
                    .arg(fields)
                    .arg(fields == 1 ? "" : "s")
                    .arg(expected)
                    .arg(m_columns.join(QStringLiteral(", "))));
        } else {
            m_rowStart.push_back(quint32(recordStart));
        }
        if (i < n) { // the line break that ended the record
            i += p[i] == '\r' ? 2 : 1;
            ++line;
            lineStart = i;
        }
    }
    if (expected < 0) {
        problem->message = QStringLiteral("empty: the first row must name the columns");
        return false;
    }
    return true;
}

// One JSON object a line (JSON Lines, NDJSON); blank lines are skipped. The first line's keys
// are the columns, and every line must have them.
bool DataSet::scanJsonLines(Problem* problem)
{
    const char* p = m_bytes.constData();
    const qint64 n = m_bytes.size();
    qint64 start = m_bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    for (int line = 1; start < n; ++line) {
        const char* nl = static_cast<const char*>(memchr(p + start, '\n', size_t(n - start)));
        const qint64 end = nl ? nl - p : n;
        const qint64 lineStart = start;
        start = end + 1;
        if (isBlank(p, lineStart, end)) continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(
            QByteArray::fromRawData(p + lineStart, end - lineStart), &error);
        const auto fail = [&](qint64 at, const QString& message) {
            problem->line = line;
            problem->column = columnOf(p, lineStart, at);
            problem->message = message;
            return false;
        };
        if (error.error != QJsonParseError::NoError)
            return fail(lineStart + error.offset,
                QStringLiteral("not JSON: %1 (a JSON lines file holds one object a line)")
                    .arg(error.errorString()));
        if (!doc.isObject())
            return fail(lineStart,
                QStringLiteral("expected an object ({\"name\": \"alice\", ...}), found %1")
                    .arg(doc.isArray() ? QStringLiteral("an array")
                                       : QStringLiteral("a single value")));
        const QJsonObject object = doc.object();
        if (m_rowStart.empty()) {
            m_columns = object.keys();
        } else {
            for (const QString& column : qAsConst(m_columns))
                if (!object.contains(column))
                    return fail(lineStart,
                        QStringLiteral("this line lacks the key '%1' that the first line "
                                       "has (every line has the same keys)")
                            .arg(column));
        }
        m_rowStart.push_back(quint32(lineStart));
    }
    return true;
}

QStringList DataSet::csvFields(qint64 offset) const
{
    const char* p = m_bytes.constData();
    const qint64 n = m_bytes.size();
    QStringList fields;
    qint64 i = offset;
    for (;;) {
        QByteArray field;
        if (i < n && p[i] == '"') {
            for (++i; i < n; ++i) {
                if (p[i] == '"') {
                    if (i + 1 < n && p[i + 1] == '"') {
                        field += '"';
                        ++i;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += p[i];
            }
        } else {
            const qint64 from = i;
            while (i < n && p[i] != ',' && p[i] != '\n'
                && !(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
                ++i;
            field = QByteArray::fromRawData(p + from, i - from);
        }
        fields << QString::fromUtf8(field);
        if (i < n && p[i] == ',') {
            ++i;
            continue;
        }
        return fields;
    }
}

QByteArray DataSet::jsonLine(qint64 index) const
{
    const qint64 from = m_rowStart[size_t(index)];
    const qint64 end = m_bytes.indexOf('\n', from);
    return QByteArray::fromRawData(
        m_bytes.constData() + from, (end < 0 ? m_bytes.size() : end) - from);
}

qint64 DataSet::memoryBytes() const
{
    return m_bytes.size() + qint64(m_rowStart.capacity() * sizeof(quint32));
}

QVariantMap DataSet::row(qint64 index) const
{
    if (index < 0 || index >= rowCount()) return {};
    if (m_source.format == DataSource::Format::JsonLines)
        return QJsonDocument::fromJson(jsonLine(index)).object().toVariantMap();
    const QStringList fields = csvFields(m_rowStart[size_t(index)]);
    QVariantMap map;
    for (int c = 0; c < m_columns.size() && c < fields.size(); ++c)
        map.insert(m_columns[c], fields[c]);
    return map;
}

QVariant DataSet::field(qint64 index, int column) const
{
    if (index < 0 || index >= rowCount() || column < 0 || column >= m_columns.size()) return {};
    if (m_source.format == DataSource::Format::JsonLines)
        return QJsonDocument::fromJson(jsonLine(index))
            .object()
            .value(m_columns[column])
            .toVariant();
    const QStringList fields = csvFields(m_rowStart[size_t(index)]);
    return column < fields.size() ? QVariant(fields[column]) : QVariant();
}

qint64 DataSet::localRows(Fleet fleet) const
{
    const qint64 rows = rowCount();
    if (fleet.count <= 1) return rows;
    return fleet.index < rows ? (rows - fleet.index + fleet.count - 1) / fleet.count : 0;
}

qint64 DataSet::nextSequential(Fleet fleet) const
{
    const qint64 local = localRows(fleet);
    if (local <= 0) return -1;
    const quint64 n = m_cursor.fetch_add(1, std::memory_order_relaxed);
    return globalRow(qint64(n % quint64(local)), fleet);
}

qint64 DataSet::pick(qint64 seat, Fleet fleet, QRandomGenerator& rng) const
{
    const qint64 local = localRows(fleet);
    if (local <= 0) return -1;
    switch (m_source.order) {
    case DataSource::Order::Unique:
        if (seat >= local && !m_source.wrap) return -1;
        return globalRow(seat % local, fleet);
    case DataSource::Order::Random:
        return globalRow(qint64(rng.bounded(quint64(local))), fleet);
    case DataSource::Order::Sequential:
        break;
    }
    return nextSequential(fleet);
}

} // namespace swarm
