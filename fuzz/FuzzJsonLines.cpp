#include "FuzzShown.h"
#include "FuzzTargets.h"

#include "scenario/DataSet.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QList>

namespace swarm::fuzz {

// ---- JSON lines data files -------------------------------------------------------------------

namespace {

// The input's lines as DataSet numbers them (1-based; split at \n, after a UTF-8 BOM).
QList<QByteArray> linesOf(const QByteArray& input)
{
    const QByteArray body = input.startsWith("\xEF\xBB\xBF") ? input.mid(3) : input;
    return body.split('\n');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// RFC 8259's number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, from `at`; returns
// the length read, 0 when it is not one.
int strictNumberLength(const QByteArray& line, int at)
{
    int i = at;
    const int n = line.size();
    if (i < n && line[i] == '-') ++i;
    if (i < n && line[i] == '0')
        ++i;
    else if (i < n && isDigit(line[i]))
        while (i < n && isDigit(line[i]))
            ++i;
    else
        return 0;
    if (i < n && line[i] == '.') {
        if (++i >= n || !isDigit(line[i])) return 0;
        while (i < n && isDigit(line[i]))
            ++i;
    }
    if (i < n && (line[i] == 'e' || line[i] == 'E')) {
        ++i;
        if (i < n && (line[i] == '+' || line[i] == '-')) ++i;
        if (i >= n || !isDigit(line[i])) return 0;
        while (i < n && isDigit(line[i]))
            ++i;
    }
    return i - at;
}

// QJsonDocument reads numbers more loosely than RFC 8259 (".0", "-.5", "1.", "1e", "01"), which
// swarm refuses as the RFC does: true when the line, outside its strings, has a token that starts
// like a number (a digit, '-' or '.') and is not an RFC number. Such a refusal is not checked
// against Qt.
bool hasLooseNumber(const QByteArray& line)
{
    bool inString = false;
    for (int i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (!isDigit(c) && c != '-' && c != '.') continue;
        const int length = strictNumberLength(line, i);
        if (length == 0) return true;
        const int end = i + length;
        if (end < line.size()
            && (isDigit(line[end]) || line[end] == '.' || line[end] == 'e' || line[end] == 'E'
                || line[end] == '+' || line[end] == '-'))
            return true; // "01", "1.2.3", "1e5e": more number after the RFC's number ends
        i = end - 1;
    }
    return false;
}

QString checkRefusal(const QByteArray& input, const DataSet::Problem& problem)
{
    const QList<QByteArray> lines = linesOf(input);
    if (problem.message.isEmpty()) return QStringLiteral("refused without a message");
    if (problem.line == 0) return {}; // the whole file: no rows
    if (problem.line < 0 || problem.line > lines.size() || problem.column < 1)
        return QStringLiteral("problem at %1:%2 outside the input's %3 lines: %4")
            .arg(problem.line)
            .arg(problem.column)
            .arg(lines.size())
            .arg(problem.message);
    const QByteArray& line = lines[problem.line - 1];
    if (problem.column > QString::fromUtf8(line).size() + 1)
        return QStringLiteral("column %1 past the end of line %2: %3")
            .arg(problem.column)
            .arg(problem.line)
            .arg(shown(line));
    // Refusals by swarm's own rules, stricter than JSON itself: not checked against Qt.
    for (const char* own : {"lacks the key", "written twice", "nested deeper", "range of a double",
             "UTF-8", "expected an object", "unknown escape", "surrogate pair"})
        if (problem.message.contains(QLatin1String(own))) return {};
    if (hasLooseNumber(line)) return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject())
        return QStringLiteral("line %1 refused (%2), but QJsonDocument reads it: %3")
            .arg(problem.line)
            .arg(problem.message, shown(line));
    return {};
}

} // namespace

QString jsonLines(const QByteArray& input)
{
    DataSource source;
    source.name = QStringLiteral("fuzz");
    source.file = QStringLiteral("fuzz.jsonl");
    source.format = DataSource::Format::JsonLines;
    DataSet::Problem problem;
    const DataSetPtr set = DataSet::parse(source, input, &problem);
    if (!set) return checkRefusal(input, problem);
    if (!problem.message.isEmpty())
        return QStringLiteral("a set and a problem: %1").arg(problem.message);
    const QList<QByteArray> lines = linesOf(input);
    qint64 row = 0;
    for (const QByteArray& line : lines) {
        if (line.trimmed().isEmpty()) continue;
        if (row >= set->rowCount())
            return QStringLiteral("%1 rows, but more lines: %2")
                .arg(set->rowCount())
                .arg(shown(line));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return QStringLiteral("row %1 loaded, but QJsonDocument refuses it (%2): %3")
                .arg(row)
                .arg(error.errorString(), shown(line));
        const QVariantMap expected = doc.object().toVariantMap();
        const QVariantMap got = set->row(row);
        if (got != expected)
            return QStringLiteral("row %1 reads differently from QJsonDocument: %2\n--- got: %3\n"
                                  "--- QJsonDocument: %4")
                .arg(row)
                .arg(shown(line),
                    QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(got)).toJson()),
                    QString::fromUtf8(doc.toJson()));
        for (int c = 0; c < set->columns().size(); ++c)
            if (set->field(row, c) != expected.value(set->columns()[c]))
                return QStringLiteral("row %1, column '%2': field() differs from row()")
                    .arg(row)
                    .arg(set->columns()[c]);
        ++row;
    }
    if (row != set->rowCount())
        return QStringLiteral("%1 rows from %2 lines").arg(set->rowCount()).arg(row);
    return {};
}

} // namespace swarm::fuzz
