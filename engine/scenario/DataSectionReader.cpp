#include "scenario/DataSectionReader.h"

#include "scenario/ClosestMatch.h"
#include "scenario/YamlText.h"

#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace swarm {

namespace {

using namespace yamltext;

const QStringList kKeys = {QStringLiteral("file"), QStringLiteral("order"), QStringLiteral("wrap"),
    QStringLiteral("format")};
const QStringList kOrders
    = {QStringLiteral("unique"), QStringLiteral("sequential"), QStringLiteral("random")};
const QStringList kFormats = {QStringLiteral("csv"), QStringLiteral("jsonl")};

SourcePos posOf(const YAML::Node& node, SourcePos fallback)
{
    const YAML::Mark m = node.Mark();
    if (node.IsNull() || m.is_null() || m.line < 0 || m.column < 0) return fallback;
    return SourcePos {m.line + 1, m.column + 1};
}

DataSource::Format formatOf(const QString& file)
{
    const QString lower = file.toLower();
    return lower.endsWith(QLatin1String(".jsonl")) || lower.endsWith(QLatin1String(".ndjson"))
            || lower.endsWith(QLatin1String(".json"))
        ? DataSource::Format::JsonLines
        : DataSource::Format::Csv;
}

// One of `words`, or an error naming them.
int choice(const YAML::Node& node, const QStringList& words, const QString& key, SourcePos pos,
    const DataSectionReader::ErrorFn& error)
{
    const Scalar s = resolveScalar(node);
    const int at = s.kind == yamltext::Kind::String ? int(words.indexOf(s.text)) : -1;
    if (at < 0)
        error(pos, key,
            QStringLiteral("expected one of %1, found %2")
                .arg(quoted(words), yamltext::describe(node)));
    return at;
}

void readEntry(
    const YAML::Node& value, SourcePos pos, DataSource* d, const DataSectionReader::ErrorFn& error)
{
    const Scalar s = resolveScalar(value);
    if (s.kind == yamltext::Kind::String) {
        d->file = s.text;
        d->filePos = posOf(value, pos);
        d->format = formatOf(d->file);
        return;
    }
    if (!value.IsMap()) {
        error(pos, d->name,
            QStringLiteral("expected a file name or a mapping with 'file', 'order', 'wrap', "
                           "'format'; found %1")
                .arg(yamltext::describe(value)));
        return;
    }
    bool haveFormat = false;
    for (auto it = value.begin(); it != value.end(); ++it) {
        const QString key = toQString(it->first.Scalar());
        const SourcePos keyPos = posOf(it->first, pos);
        const SourcePos valuePos = posOf(it->second, keyPos);
        if (key == kKeys[0]) {
            const Scalar f = resolveScalar(it->second);
            if (f.kind != yamltext::Kind::String || f.text.trimmed().isEmpty())
                error(valuePos, key,
                    QStringLiteral("expected a file name (relative to the scenario), found %1")
                        .arg(yamltext::describe(it->second)));
            d->file = f.text;
            d->filePos = valuePos;
        } else if (key == kKeys[1]) {
            const int at = choice(it->second, kOrders, key, valuePos, error);
            if (at >= 0) d->order = DataSource::Order(at);
        } else if (key == kKeys[2]) {
            const Scalar w = resolveScalar(it->second);
            if (w.kind != yamltext::Kind::Bool)
                error(valuePos, key,
                    QStringLiteral("expected true or false, found %1")
                        .arg(yamltext::describe(it->second)));
            d->wrap = w.boolean;
        } else if (key == kKeys[3]) {
            const int at = choice(it->second, kFormats, key, valuePos, error);
            if (at >= 0) d->format = DataSource::Format(at);
            haveFormat = true;
        } else {
            const QString match = closestMatch(key, kKeys);
            error(keyPos, key,
                match.isEmpty()
                    ? QStringLiteral("unknown key (a data file has the keys %1)").arg(quoted(kKeys))
                    : QStringLiteral("unknown key; did you mean '%1'?").arg(match));
        }
    }
    if (d->file.isEmpty())
        error(
            pos, d->name, QStringLiteral("missing key 'file': the data file (CSV or JSON lines)"));
    else if (!haveFormat)
        d->format = formatOf(d->file);
    if (d->wrap && d->order != DataSource::Order::Unique)
        error(pos, QStringLiteral("wrap"),
            QStringLiteral("wrap applies to order: unique (sequential and random rows always "
                           "start again at the first)"));
}

} // namespace

bool DataSectionReader::isName(const QString& name)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return identifier.match(name).hasMatch();
}

QList<DataSource> DataSectionReader::read(
    const YAML::Node& node, SourcePos fallback, const ErrorFn& error)
{
    QList<DataSource> data;
    const SourcePos pos = posOf(node, fallback);
    if (node.IsNull()) return data;
    if (!node.IsMap()) {
        error(pos, QStringLiteral("data"),
            QStringLiteral("expected a mapping of names to data files (users: users.csv), "
                           "found %1")
                .arg(yamltext::describe(node)));
        return data;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        DataSource d;
        d.name = toQString(it->first.Scalar());
        d.pos = posOf(it->first, pos);
        if (!isName(d.name)) {
            error(d.pos, d.name,
                QStringLiteral("a data name is a word of letters, digits and '_' (it is used "
                               "as client.data.NAME and ${row.NAME.COLUMN})"));
            continue;
        }
        bool duplicate = false;
        for (const DataSource& other : qAsConst(data))
            duplicate = duplicate || other.name == d.name;
        if (duplicate) {
            error(d.pos, d.name, QStringLiteral("duplicate data name"));
            continue;
        }
        readEntry(it->second, d.pos, &d, error);
        data.append(d);
    }
    return data;
}

QString DataSectionReader::toYaml(const QList<DataSource>& data)
{
    if (data.isEmpty()) return QString();
    QString out = QStringLiteral("data:\n");
    for (const DataSource& d : data) {
        QString file = d.file;
        file.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('"'), QLatin1String("\\\""));
        out += QStringLiteral("  %1:\n    file: \"%2\"\n    order: %3\n")
                   .arg(d.name, file, QLatin1String(DataSource::orderName(d.order)));
        if (d.wrap) out += QStringLiteral("    wrap: true\n");
        if (d.format != formatOf(d.file))
            out += QStringLiteral("    format: %1\n")
                       .arg(QLatin1String(DataSource::formatName(d.format)));
    }
    return out;
}

} // namespace swarm
