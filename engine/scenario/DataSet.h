#pragma once

#include "scenario/DataSource.h"
#include "scenario/JsonLineScanner.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QStringList>
#include <QVariant>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace swarm {

// Which share of a data file's rows this swarm gives out: in a fleet of `count` agents, agent
// `index` takes the rows index, index + count, index + 2 * count, ... so no two agents log in
// the same user. One swarm alone is agent 0 of 1 and takes every row.
struct Fleet
{
    int index = 0;
    int count = 1;
};

// The rows of one data file, loaded once and shared read-only by every worker thread. Memory is
// about the file's own size: its bytes as they are and where each row starts (4 bytes a row);
// a row becomes values only when a connection takes it. The sequential cursor is the only thing
// that changes after loading (an atomic, so worker threads share it without a lock).
class DataSet
{
public:
    // What is wrong with a file: the first problem found, where it is.
    struct Problem
    {
        int line = 0; // 1-based; 0: the whole file
        int column = 0;
        QString message;
    };

    // Reads and checks a whole file: null and *problem when it cannot be read or a row is
    // malformed.
    static std::shared_ptr<const DataSet> load(
        const DataSource& source, const QString& path, Problem* problem);
    // The same from bytes in memory.
    static std::shared_ptr<const DataSet> parse(
        const DataSource& source, QByteArray bytes, Problem* problem);

    const DataSource& source() const { return m_source; }
    // CSV: the header row. JSON lines: the keys of the first line (every line has them).
    const QStringList& columns() const { return m_columns; }
    qint64 rowCount() const { return qint64(m_rowStart.size()); }
    // What the rows hold in memory, in bytes: the file and the index of rows.
    qint64 memoryBytes() const;
    // How long load() took to read and check the file.
    qint64 loadMs() const { return m_loadMs; }
    // Row `index` (0-based, of the whole file): column name to value; CSV values are strings,
    // JSON lines' values are what the line holds.
    QVariantMap row(qint64 index) const;
    // One column of row `index`; an invalid QVariant when the row lacks it.
    QVariant field(qint64 index, int column) const;

    // How many rows this agent of a fleet gives out, and the file's row of its `local`-th.
    qint64 localRows(Fleet fleet) const;
    static qint64 globalRow(qint64 local, Fleet fleet) { return local * fleet.count + fleet.index; }
    // The next row in round-robin order (sequential), shared by every connection and thread.
    qint64 nextSequential(Fleet fleet) const;
    // The row a connection takes at the start of an iteration, by the file's order: unique, the
    // row of its seat (the lowest number free when it was opened), wrapped or -1 past the last;
    // sequential, the next; random, any. -1: none for this agent.
    qint64 pick(qint64 seat, Fleet fleet, QRandomGenerator& rng) const;

private:
    DataSet() = default;
    bool scanCsv(Problem* problem);
    bool takeCsvHeader(qint64 offset, int line, qint64 lineStart, Problem* problem);
    bool scanJsonLines(Problem* problem);
    // The fields of the CSV record starting at `offset`, unquoted.
    QStringList csvFields(qint64 offset) const;
    bool takeJsonColumns(
        const std::vector<JsonLineScanner::Member>& members, JsonLineScanner::Error* error);
    int jsonKeyOf(const JsonLineScanner::Member& m, size_t k) const;
    // A later line's key that the first line lacks: its name and its bytes.
    using ExtraKeys = std::vector<std::pair<QString, QByteArray>>;
    bool takeExtraKey(
        const JsonLineScanner::Member& m, ExtraKeys* extras, JsonLineScanner::Error* error) const;
    static QString twiceMessage(const QByteArray& key);
    std::vector<JsonLineScanner::Member> jsonMembers(qint64 index) const;

    DataSource m_source;
    QByteArray m_bytes;
    std::vector<quint32> m_rowStart; // offset of each row in m_bytes
    QStringList m_columns;
    QByteArrayList m_jsonKeys; // JSON lines: the first line's keys, in its order (UTF-8)
    std::vector<int> m_columnKey; // JSON lines: of each column, its key in m_jsonKeys
    mutable std::atomic<quint64> m_cursor {0};
    qint64 m_loadMs = 0;
};

using DataSetPtr = std::shared_ptr<const DataSet>;

} // namespace swarm
