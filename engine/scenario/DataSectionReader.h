#pragma once

#include "scenario/DataSource.h"

#include <QList>
#include <QString>

#include <functional>

namespace YAML {
class Node;
}

namespace swarm {

// The scenario's `data:` section: a mapping of names to data files, each a file name (rows given
// out in sequence) or a mapping with file, order (unique, sequential, random), wrap and format
// (csv, jsonl; by default from the file's extension). Reports every problem through `error`.
class DataSectionReader
{
public:
    using ErrorFn = std::function<void(SourcePos pos, const QString& key, const QString& message)>;

    static QList<DataSource> read(const YAML::Node& node, SourcePos fallback, const ErrorFn& error);
    // The section as the canonical YAML the window writes ("" when there is no data).
    static QString toYaml(const QList<DataSource>& data);
    // A name usable in ${row.NAME.COLUMN} and client.data.NAME.
    static bool isName(const QString& name);
};

} // namespace swarm
