#include "scenario/DataSet.h"

#include "scenario/JsonLineScanner.h"
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

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

// Lines of the file, estimated from its first megabyte: counting them all would be one more
// pass over every byte (std::count took a quarter of a JSON lines file's load). A few percent
// over; shrink_to_fit gives back what the rows did not use.
qint64 estimatedLines(const QByteArray& bytes)
{
    constexpr qint64 kSample = 1 << 20;
    const char* p = bytes.constData();
    const qint64 sampled = qMin(kSample, qint64(bytes.size()));
    const char* const end = p + sampled;
    qint64 lines = 1;
    while ((p = static_cast<const char*>(memchr(p, '\n', size_t(end - p))))) {
        ++lines;
        ++p;
    }
    if (sampled == bytes.size()) return lines;
    return qint64(double(lines) * double(bytes.size()) / double(sampled) * 1.05) + 16;
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
    // One row a line, nearly always: the index is allocated once, near its final size.
    set->m_rowStart.reserve(size_t(estimatedLines(set->m_bytes)));
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
// are the columns, and every line must have them. Each line is checked by JsonLineScanner over
// the bytes in place: nothing is built per line, and its members are matched to the first line's
// keys by comparing bytes (in the same order, the usual case, one comparison a key).
bool DataSet::scanJsonLines(Problem* problem)
{
    const char* p = m_bytes.constData();
    const qint64 n = m_bytes.size();
    qint64 start = m_bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    std::vector<JsonLineScanner::Member> members;
    std::vector<char> seen;
    for (int line = 1; start < n; ++line) {
        const qint64 lineStart = start;
        if (const qint64 blankEnd = JsonLineScanner::blankLine(p, lineStart, n); blankEnd >= 0) {
            start = blankEnd + 1;
            continue;
        }
        const auto fail = [&](qint64 at, const QString& message) {
            problem->line = line;
            problem->column = columnOf(p, lineStart, at);
            problem->message = message;
            return false;
        };
        JsonLineScanner::Error error;
        qint64 end = n;
        if (!JsonLineScanner::scan(p, lineStart, n, &members, &end, &error))
            return fail(error.at, error.message);
        start = end + 1;
        if (m_rowStart.empty()) {
            if (!takeJsonColumns(members, &error)) return fail(error.at, error.message);
        } else {
            seen.assign(m_jsonKeys.size(), 0);
            for (size_t k = 0; k < members.size(); ++k) {
                const int key = jsonKeyOf(members[k], k);
                if (key < 0) continue; // a key the first line lacks: kept, not a column
                if (seen[size_t(key)])
                    return fail(members[k].keyFrom - 1, twiceMessage(m_jsonKeys[key]));
                seen[size_t(key)] = 1;
            }
            for (size_t key = 0; key < seen.size(); ++key)
                if (!seen[key])
                    return fail(lineStart,
                        QStringLiteral("this line lacks the key '%1' that the first line "
                                       "has (every line has the same keys)")
                            .arg(QString::fromUtf8(m_jsonKeys[qsizetype(key)])));
        }
        m_rowStart.push_back(quint32(lineStart));
    }
    return true;
}

QString DataSet::twiceMessage(const QByteArray& key)
{
    return QStringLiteral("the key '%1' is written twice in this line").arg(QString::fromUtf8(key));
}

// The first line's keys, in its order, name the columns (listed sorted, as before).
bool DataSet::takeJsonColumns(
    const std::vector<JsonLineScanner::Member>& members, JsonLineScanner::Error* error)
{
    const char* p = m_bytes.constData();
    for (const JsonLineScanner::Member& m : members) {
        QByteArray key = JsonLineScanner::keyBytes(p, m);
        key.detach(); // the bytes of the file may be an escaped key's decoding, or the file
        if (m_jsonKeys.contains(key)) {
            error->at = m.keyFrom - 1;
            error->message = twiceMessage(key);
            return false;
        }
        m_jsonKeys << key;
        m_columns << JsonLineScanner::key(p, m);
    }
    // Listed sorted; each column knows its key's bytes (a name's bytes need not be its key's:
    // a leading U+FEFF, escapes).
    std::vector<int> order(size_t(m_columns.size()));
    for (size_t c = 0; c < order.size(); ++c)
        order[c] = int(c);
    std::stable_sort(
        order.begin(), order.end(), [this](int a, int b) { return m_columns[a] < m_columns[b]; });
    QStringList sorted;
    for (int c : order) {
        sorted << m_columns[c];
        m_columnKey.push_back(c);
    }
    m_columns = sorted;
    return true;
}

// Which of the first line's keys member `k` of a line is: -1 for none.
int DataSet::jsonKeyOf(const JsonLineScanner::Member& m, size_t k) const
{
    const char* p = m_bytes.constData();
    const qint64 length = m.keyTo - m.keyFrom;
    if (!m.keyEscaped && k < size_t(m_jsonKeys.size())) {
        const QByteArray& expected = m_jsonKeys[qsizetype(k)];
        if (expected.size() == length
            && memcmp(expected.constData(), p + m.keyFrom, size_t(length)) == 0)
            return int(k);
    }
    return int(m_jsonKeys.indexOf(JsonLineScanner::keyBytes(p, m)));
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

std::vector<JsonLineScanner::Member> DataSet::jsonMembers(qint64 index) const
{
    std::vector<JsonLineScanner::Member> members;
    JsonLineScanner::Error ignored; // checked at load
    qint64 end = 0;
    JsonLineScanner::scan(
        m_bytes.constData(), m_rowStart[size_t(index)], m_bytes.size(), &members, &end, &ignored);
    return members;
}

qint64 DataSet::memoryBytes() const
{
    return m_bytes.size() + qint64(m_rowStart.capacity() * sizeof(quint32));
}

QVariantMap DataSet::row(qint64 index) const
{
    if (index < 0 || index >= rowCount()) return {};
    if (m_source.format == DataSource::Format::JsonLines) {
        QVariantMap map;
        for (const JsonLineScanner::Member& m : jsonMembers(index))
            map.insert(JsonLineScanner::key(m_bytes.constData(), m),
                JsonLineScanner::value(m_bytes.constData(), m));
        return map;
    }
    const QStringList fields = csvFields(m_rowStart[size_t(index)]);
    QVariantMap map;
    for (int c = 0; c < m_columns.size() && c < fields.size(); ++c)
        map.insert(m_columns[c], fields[c]);
    return map;
}

QVariant DataSet::field(qint64 index, int column) const
{
    if (index < 0 || index >= rowCount() || column < 0 || column >= m_columns.size()) return {};
    if (m_source.format == DataSource::Format::JsonLines) {
        const QByteArray& key = m_jsonKeys[m_columnKey[size_t(column)]];
        for (const JsonLineScanner::Member& m : jsonMembers(index))
            if (JsonLineScanner::keyBytes(m_bytes.constData(), m) == key)
                return JsonLineScanner::value(m_bytes.constData(), m);
        return {};
    }
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
