#pragma once

#include "scenario/SourcePos.h"

#include <QString>

namespace swarm {

// One entry of a scenario's `data:` section: a file of rows and how they are given out to the
// connections. The rows themselves are a DataSet, loaded by DataSetLoader.
struct DataSource
{
    enum class Format { Csv, JsonLines };
    // unique: each connection its own row, kept for its life; sequential: the next row at each
    // iteration, round-robin over all connections; random: any row at each iteration.
    enum class Order { Unique, Sequential, Random };

    QString name; // client.data.NAME, ${row.NAME.COLUMN}
    QString file; // as written: relative to the scenario's folder
    Format format = Format::Csv;
    Order order = Order::Sequential;
    bool wrap = false; // unique: start again at the first row when the rows run out
    SourcePos pos; // of the name
    SourcePos filePos; // of the file's value

    static const char* orderName(Order order);
    static const char* formatName(Format format);

    bool operator==(const DataSource& o) const
    {
        return name == o.name && file == o.file && format == o.format && order == o.order
            && wrap == o.wrap;
    }
    bool operator!=(const DataSource& o) const { return !(*this == o); }
};

} // namespace swarm
