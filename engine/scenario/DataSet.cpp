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

// Where the CSV scan is: the byte, its line (1-based) and where that line starts.
struct CsvCursor
{
    const char* p;
    qint64 n;
    qint64 i;
    int line = 1;
    qint64 lineStart = 0;

    bool endsLine(qint64 at) const
    {
        return at < n && (p[at] == '\n' || (p[at] == '\r' && at + 1 < n && p[at + 1] == '\n'));
    }
    // Past the line break at i (\n or \r\n).
    void nextLine()
    {
        i += p[i] == '\r' ? 2 : 1;
        ++line;
        lineStart = i;
    }
};

bool csvFail(DataSet::Problem* problem, const CsvCursor& c, int line, qint64 lineStart, qint64 at,
    const QString& message)
{
    problem->line = line;
    problem->column = columnOf(c.p, lineStart, at);
    problem->message = message;
    return false;
}

// A field in double quotes, from its opening quote: past its closing quote, which must end the
// field. Line breaks inside count as lines.
bool scanQuotedField(CsvCursor& c, DataSet::Problem* problem)
{
    const qint64 open = c.i;
    const int openLine = c.line;
    const qint64 openLineStart = c.lineStart;
    for (++c.i;; ++c.i) {
        if (c.i >= c.n)
            return csvFail(problem, c, openLine, openLineStart, open,
                QStringLiteral("a quoted field is never closed (no matching \" before the end of "
                               "the file)"));
        if (c.p[c.i] == '"') {
            if (c.i + 1 < c.n && c.p[c.i + 1] == '"') {
                ++c.i;
                continue;
            }
            ++c.i;
            break;
        }
        if (c.p[c.i] == '\n') {
            ++c.line;
            c.lineStart = c.i + 1;
        }
    }
    if (c.i < c.n && c.p[c.i] != ',' && !c.endsLine(c.i))
        return csvFail(problem, c, c.line, c.lineStart, c.i,
            QStringLiteral("text after the closing quote of a field (a quote inside a quoted "
                           "field is written twice: \"\")"));
    return true;
}

// One record's fields, up to the line break that ends it (not consumed): their count, and where
// the first field beyond `expected` starts (-1 when none; expected <= 0: not known yet).
bool scanCsvRecord(
    CsvCursor& c, int expected, int* fields, qint64* extraField, DataSet::Problem* problem)
{
    *fields = 0;
    *extraField = -1;
    for (;;) {
        if (++*fields == expected + 1 && expected > 0) *extraField = c.i;
        if (c.i < c.n && c.p[c.i] == '"') {
            if (!scanQuotedField(c, problem)) return false;
        } else {
            for (; c.i < c.n && c.p[c.i] != ',' && !c.endsLine(c.i); ++c.i)
                if (c.p[c.i] == '"')
                    return csvFail(problem, c, c.line, c.lineStart, c.i,
                        QStringLiteral("a quote inside an unquoted field: quote the whole field "
                                       "and double the quote, \"say \"\"hi\"\"\""));
        }
        if (c.i < c.n && c.p[c.i] == ',') {
            ++c.i;
            continue;
        }
        return true;
    }
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
    CsvCursor c {m_bytes.constData(), m_bytes.size(), m_bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0};
    c.lineStart = c.i;
    int expected = -1; // fields of the header, once read
    while (c.i < c.n) {
        if (c.endsLine(c.i)) { // a blank line
            c.nextLine();
            continue;
        }
        // The common line: no quotes, the header's fields.
        if (expected > 0 && fastRow(m_bytes, m_columns.size(), &m_rowStart, &c.i)) {
            ++c.line;
            c.lineStart = c.i;
            continue;
        }
        const CsvCursor record = c;
        int fields = 0;
        qint64 extraField = -1;
        if (!scanCsvRecord(c, expected, &fields, &extraField, problem)) return false;
        if (expected < 0) {
            expected = fields;
            if (!takeCsvHeader(record.i, record.line, record.lineStart, problem)) return false;
        } else if (fields != expected) {
            return csvFail(problem, c, record.line, record.lineStart,
                fields > expected ? extraField : c.i,
                QStringLiteral("%1 field%2 in this row, the header has %3 (%4)")
                    .arg(fields)
                    .arg(fields == 1 ? "" : "s")
                    .arg(expected)
                    .arg(m_columns.join(QStringLiteral(", "))));
        } else {
            m_rowStart.push_back(quint32(record.i));
        }
        if (c.i < c.n) c.nextLine(); // the line break that ended the record
    }
    if (expected < 0) {
        problem->message = QStringLiteral("empty: the first row must name the columns");
        return false;
    }
    return true;
}

// The header record at `offset` names the columns: each once, none empty.
bool DataSet::takeCsvHeader(qint64 offset, int line, qint64 lineStart, Problem* problem)
{
    m_columns = csvFields(offset);
    for (int c = 0; c < m_columns.size(); ++c) {
        const QString& name = m_columns[c];
        if (name.trimmed().isEmpty() || m_columns.indexOf(name) != c) {
            problem->line = line;
            problem->column = columnOf(m_bytes.constData(), lineStart, offset);
            problem->message
                = QStringLiteral("header: column %1 %2 (the first row names the columns: "
                                 "name,password,...)")
                      .arg(c + 1)
                      .arg(name.trimmed().isEmpty()
                              ? QStringLiteral("has no name")
                              : QStringLiteral("'%1' is named twice").arg(name));
            return false;
        }
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
    ExtraKeys extraKeys;
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
            extraKeys.clear();
            for (size_t k = 0; k < members.size(); ++k) {
                const int key = jsonKeyOf(members[k], k);
                if (key < 0) { // a key the first line lacks: kept, not a column
                    if (!takeExtraKey(members[k], &extraKeys, &error))
                        return fail(error.at, error.message);
                    continue;
                }
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
        const QString name = JsonLineScanner::key(p, m);
        // Two keys whose bytes differ may still name the same column: a leading U+FEFF (a byte
        // order mark) is not part of a name.
        if (m_jsonKeys.contains(key) || m_columns.contains(name)) {
            error->at = m.keyFrom - 1;
            error->message = m_jsonKeys.contains(key) ? twiceMessage(key)
                                                      : twiceMessage(name.toUtf8())
                    + QStringLiteral(" (once after a byte order mark, U+FEFF, which is not part "
                                     "of a name)");
            return false;
        }
        m_jsonKeys << key;
        m_columns << name;
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

// A key of a later line that the first line lacks is kept in the row, under its name: refused
// when that name is already one of the row's (a column's, or another such key's) although its
// bytes differ — written twice, once after a byte order mark (U+FEFF is not part of a name) —
// or when it is written twice itself.
bool DataSet::takeExtraKey(
    const JsonLineScanner::Member& m, ExtraKeys* extras, JsonLineScanner::Error* error) const
{
    const QString name = JsonLineScanner::key(m_bytes.constData(), m);
    QByteArray bytes = JsonLineScanner::keyBytes(m_bytes.constData(), m);
    QByteArray otherBytes; // the bytes of the key that has this name already
    if (const qsizetype c = m_columns.indexOf(name); c >= 0) {
        otherBytes = m_jsonKeys[m_columnKey[size_t(c)]];
    } else {
        const auto other = std::find_if(extras->begin(), extras->end(),
            [&name](const auto& extra) { return extra.first == name; });
        if (other == extras->end()) {
            bytes.detach(); // may point into the file
            extras->emplace_back(name, bytes);
            return true;
        }
        otherBytes = other->second;
    }
    error->at = m.keyFrom - 1;
    error->message = twiceMessage(name.toUtf8());
    if (bytes != otherBytes)
        error->message += QStringLiteral(" (once after a byte order mark, U+FEFF, which is not "
                                         "part of a name)");
    return false;
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
