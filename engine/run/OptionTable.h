#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <variant>

namespace swarm {

struct Options;

// One command-line option: its names, how its value is read, its range, its help and the field
// of Options it fills. The table drives QCommandLineParser, --help (with each default read from
// a default Options), validation and error messages. Adding an option is adding a field to
// Options and a row to the table in OptionTable.cpp.
struct OptionRow
{
    enum class Kind {
        Flag, // no value: sets a bool
        Text, // any text
        Integer, // a whole number in [min, max]
        Duration, // "500ms", "3s", "2m", "1h30m" or plain seconds; ms in [min, max]
        Size, // "64k", "16MiB"; bytes in [min, max]
        Rate, // a number above min (exclusive) up to max
        Custom, // parsed by `custom`
    };
    // The field a row fills: a captureless lambda returning a reference into Options.
    using Target = std::variant<std::monostate, bool& (*)(Options&), int& (*)(Options&),
        qint64& (*)(Options&), double& (*)(Options&), QString& (*)(Options&)>;
    // Parses one value into the options, or returns false with *error (without the option's
    // name, which the caller adds).
    using Parse = bool (*)(const QString& value, Options& options, QString* error);
    using Show = QString (*)(const Options& defaults);

    const char* names; // comma-separated, short one first: "l,listen"
    const char* valueName; // nullptr for a flag
    Kind kind;
    Target target;
    qint64 min;
    qint64 max;
    const char* help; // "%1" stands for the default
    Parse custom = nullptr; // Kind::Custom; called once per value, so repeatable
    Show shows = nullptr; // the default of a Custom row, for "%1" in its help

    QStringList nameList() const;
    QString longName() const { return nameList().last(); }
    QString helpText() const; // with the default filled in
    QString defaultText() const;
    // Reads one value into *options; false with "--name: why" in *error.
    bool apply(const QString& value, Options* options, QString* error) const;
};

// The TLS options (--tls, --tls-ca, ...), at the end of the table (TlsOptionRows.cpp).
QList<OptionRow> tlsOptionRows();
// The Prometheus metrics' options (--metrics, --metrics-token, ...: MetricsOptionRows.cpp).
QList<OptionRow> metricsOptionRows();
// Every option, the original tool's first.
const QList<OptionRow>& optionTable();
// The row named `name` (long or short), or nullptr.
const OptionRow* findOption(const QString& name);

} // namespace swarm
