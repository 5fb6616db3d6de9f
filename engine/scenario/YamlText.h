#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <string>

// What the scenario loader needs of YAML beyond yaml-cpp: scalars typed the way YAML 1.2's core
// schema reads them, the words that describe a value in an error message, and two checks on the
// raw text that yaml-cpp does not offer safely.
namespace swarm::yamltext {

enum class Kind { Null, Bool, Int, Float, String, List, Map, Other };

// A scalar resolved the way YAML 1.2's core schema reads it.
struct Scalar
{
    Kind kind = Kind::Null;
    QString text;
    bool boolean = false;
    qint64 integer = 0;
    double number = 0; // Int and Float both; Int values past qint64 live only here
    bool intOverflow = false;
};

QString toQString(const std::string& s);
Scalar resolveScalar(const YAML::Node& node);
// The text cut to 40 characters, line breaks shown as \n: for quoting a value in a message.
QString shortened(const QString& text);
// "a string (\"5\")", "a list", ...: the "found" half of a wrong-type message.
QString describe(const YAML::Node& node);
// 'a', 'b', 'c'
QString quoted(const QStringList& names);
// Counts the documents of the stream, up to two (a scenario is one); *second is where the
// second starts.
int countDocuments(const std::string& text, YAML::Mark* second);
// Whether the text holds anything but blank lines, comments and document markers.
bool hasContent(const QByteArray& yaml);

} // namespace swarm::yamltext
